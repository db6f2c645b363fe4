/*
 * issue15_bridge.h - TEMPORARY, private: the old API names for the files
 * issue 15 (scale) is rewriting in parallel, so that they build unchanged
 * while the public API is tidied (issue 16).  The Makefile force-includes
 * it into those files only (ISSUE15_SRC); nothing else sees these names
 * and they are not installed.
 *
 * Once issue 15 is merged: run `tools/api-rename` once over
 *   src/lib/run.c src/lib/bacs.c src/cli/cmd_run.c src/cli/cmd_export.c
 *   src/cli/cmd_report.c src/cli/json_out.c
 * make bacs.c's out-of-memory path abort() (see phsg/error.h), delete this
 * file and the ISSUE15_SRC lines of the Makefile.
 *
 * Generated with `tools/api-rename --bridge`: every rename of the table, so
 * that what issue 15 added since it branched builds too.  Run the script
 * over those files and delete this bridge in the same step: the argument
 * swaps below would undo the script's.
 */
#ifndef PHSG_ISSUE15_BRIDGE_H
#define PHSG_ISSUE15_BRIDGE_H

/* every public header first, so that the macros below rename only the
   calls in the file itself, never a declaration */
#include "phsg.h"

/* bacs.c returns it when calloc fails; phsg now aborts (phsg/error.h) */
#define PHSG_ENOMEM (-5)

#define phsg_check_ref phsg_text_check_ref
#define phsg_check_text phsg_text_check
#define phsg_check_name phsg_text_check_name
#define phsg_utf8_valid phsg_text_utf8_valid
#define phsg_csv_needs_guard phsg_text_csv_needs_guard
#define phsg_rounding_parse(a1, a2) phsg_money_rounding_parse(a2, a1)
#define phsg_rounding_name phsg_money_rounding_name
#define phsg_decimal_parse phsg_money_parse
#define phsg_round_pence phsg_money_round_pence
#define phsg_round_money phsg_money_round
#define phsg_decimal_format phsg_money_format
#define phsg_pence_format phsg_money_format_pence
#define phsg_pence_pretty phsg_money_pretty_pence
#define PHSG_DEC_NEGATIVE PHSG_MONEY_NEGATIVE
#define PHSG_DEC_PENCE PHSG_MONEY_PENCE
#define phsg_date_parse(a1, a2) phsg_date_parse(a2, a1)
#define phsg_date_from_ymd(a1, a2, a3, a4) phsg_date_from_ymd(a4, a1, a2, a3)
#define phsg_date_to_ymd(a1, a2, a3, a4) phsg_date_to_ymd(a2, a3, a4, a1)
#define phsg_date_add_months_checked(a1, a2, a3) phsg_date_add_months_checked(a3, a1, a2)
#define phsg_days_in_month phsg_date_days_in_month
#define phsg_fy_start phsg_date_fy_start
#define phsg_fy_name phsg_date_fy_name
#define phsg_fy_parse(a1, a2) phsg_date_fy_parse(a2, a1)
#define phsg_fy_days phsg_date_fy_days
#define phsg_floor_div phsg_date_floor_div
#define phsg_need_name phsg_scheme_need_name
#define phsg_need_parse(a1, a2) phsg_scheme_need_parse(a2, a1)
#define phsg_component_kind_name phsg_scheme_component_kind_name
#define phsg_method_parse(a1, a2) phsg_scheme_method_parse(a2, a1)
#define phsg_method_name phsg_scheme_method_name
#define phsg_budget_parse phsg_scheme_budget_parse
#define phsg_scheme_rate_at(a1, a2, a3) phsg_scheme_rate_at(a3, a1, a2)
#define phsg_package_term(a1, a2, a3) phsg_scheme_package_term(a3, a1, a2)
#define phsg_package_component phsg_scheme_package_component
#define phsg_package_component_of_kind phsg_scheme_package_component_of_kind
#define phsg_package_has_intervention phsg_scheme_package_has_intervention
#define phsg_calendar_is_working_day(a1, a2, a3) phsg_scheme_calendar_is_working_day(a3, a1, a2)
#define phsg_calendar_roll(a1, a2, a3) phsg_scheme_calendar_roll(a3, a1, a2)
#define phsg_assessment_init phsg_alloc_assessment_init
#define phsg_assessment_release phsg_alloc_assessment_release
#define phsg_assessment_copy phsg_alloc_assessment_copy
#define phsg_assessment_set_need phsg_alloc_assessment_set_need
#define phsg_assessment_validate phsg_alloc_assessment_validate
#define phsg_component_weekly(a1, a2, a3, a4, a5) phsg_alloc_component_weekly(a4, a5, a1, a2, a3)
#define phsg_contribution_weekly(a1, a2) phsg_alloc_contribution_weekly(a2, a1)
#define phsg_accrue(a1, a2, a3, a4, a5, a6, a7) phsg_alloc_accrue(a6, a7, a1, a2, a3, a4, a5)
#define phsg_quote_compute phsg_alloc_quote
#define phsg_quote_free phsg_alloc_quote_free
#define phsg_award_accrue(a1, a2, a3, a4, a5, a6, a7) phsg_award_accrue(a6, a7, a1, a2, a3, a4, a5)
#define phsg_award_weekly_on(a1, a2, a3, a4) phsg_award_weekly_on(a4, a1, a2, a3)
#define phsg_award_weekly_hours(a1, a2, a3) phsg_award_weekly_hours(a3, a1, a2)
#define phsg_cycle_of phsg_payrule_cycle_of
#define phsg_cycle_start phsg_payrule_cycle_start
#define phsg_cycle_due(a1, a2, a3) phsg_payrule_cycle_due(a3, a1, a2)
#define phsg_entitled_pence(a1, a2, a3, a4, a5) phsg_payrule_entitled_pence(a5, a1, a2, a3, a4)
#define phsg_payrule_apply(a1, a2, a3, a4, a5) phsg_payrule_apply(a5, a1, a2, a3, a4)
#define phsg_payrule_owed_back(a1, a2, a3, a4, a5) phsg_payrule_owed_back(a5, a1, a2, a3, a4)
#define phsg_outcome_status_name phsg_plan_outcome_status_name
#define phsg_outcome_status_parse(a1, a2) phsg_plan_outcome_status_parse(a2, a1)
#define phsg_plan_hours(a1, a2) phsg_plan_hours(a2, a1)
#define phsg_outcomes_report_add phsg_plan_outcomes_report_add
#define phsg_outcomes_report_finish(a1, a2, a3, a4, a5) phsg_plan_outcomes_report_finish(a2, a3, a4, a5, a1)
#define phsg_outcomes_report_free phsg_plan_outcomes_report_free
#define phsg_model phsg_scenario_model
#define phsg_model_new phsg_scenario_new
#define phsg_model_free phsg_scenario_free
#define phsg_model_add phsg_scenario_add
#define phsg_model_set_budgets phsg_scenario_set_budgets
#define phsg_model_read phsg_scenario_read
#define phsg_model_on_unknown_column phsg_scenario_on_unknown_column
#define phsg_model_rows_used phsg_scenario_rows_used
#define phsg_model_rows_left_out phsg_scenario_rows_left_out
#define phsg_model_results(a1, a2, a3) phsg_scenario_results(a2, a3, a1)
#define phsg_payee_release phsg_ledger_payee_release
#define phsg_batch_release phsg_ledger_batch_release
#define phsg_event_rows_free phsg_ledger_event_rows_free
#define phsg_payment_rows_free phsg_ledger_payment_rows_free
#define phsg_award_history_release phsg_ledger_award_history_release
#define phsg_ledger_payee_get(a1, a2, a3) phsg_ledger_payee_get(a3, a1, a2)
#define phsg_ledger_payee_get_on(a1, a2, a3, a4) phsg_ledger_payee_get_on(a4, a1, a2, a3)
#define phsg_ledger_payee_refs(a1, a2, a3) phsg_ledger_payee_refs(a2, a3, a1)
#define phsg_ledger_award_add(a1, a2, a3, a4, a5) phsg_ledger_award_add(a4, a5, a1, a2, a3)
#define phsg_ledger_award_lookup(a1, a2, a3) phsg_ledger_award_lookup(a3, a1, a2)
#define phsg_ledger_award_load(a1, a2, a3, a4) phsg_ledger_award_load(a4, a1, a2, a3)
#define phsg_ledger_award_events(a1, a2, a3, a4) phsg_ledger_award_events(a3, a4, a1, a2)
#define phsg_ledger_client_awards(a1, a2, a3, a4, a5) phsg_ledger_client_awards(a4, a5, a1, a2, a3)
#define phsg_ledger_packages(a1, a2, a3) phsg_ledger_packages(a2, a3, a1)
#define phsg_ledger_award_ids(a1, a2, a3) phsg_ledger_award_ids(a2, a3, a1)
#define phsg_ledger_awards_due(a1, a2, a3, a4) phsg_ledger_awards_due(a3, a4, a1, a2)
#define phsg_ledger_award_history(a1, a2, a3) phsg_ledger_award_history(a3, a1, a2)
#define phsg_ledger_next_batch(a1, a2) phsg_ledger_next_batch(a2, a1)
#define phsg_ledger_batch_add(a1, a2, a3) phsg_ledger_batch_add(a3, a1, a2)
#define phsg_ledger_batch_ids(a1, a2, a3) phsg_ledger_batch_ids(a2, a3, a1)
#define phsg_ledger_batch_summary(a1, a2, a3, a4) phsg_ledger_batch_summary(a3, a4, a1, a2)
#define phsg_ledger_batch_get(a1, a2, a3) phsg_ledger_batch_get(a3, a1, a2)
#define phsg_ledger_batch_info(a1, a2, a3) phsg_ledger_batch_info(a3, a1, a2)
#define phsg_ledger_award_payments(a1, a2, a3, a4) phsg_ledger_award_payments(a3, a4, a1, a2)
#define phsg_ledger_contribution_receipts(a1, a2, a3, a4, a5) phsg_ledger_contribution_receipts(a4, a5, a1, a2, a3)
#define phsg_ledger_return_of(a1, a2, a3, a4) phsg_ledger_return_of(a3, a4, a1, a2)
#define phsg_ledger_award_sums(a1, a2, a3, a4, a5, a6) phsg_ledger_award_sums(a5, a6, a1, a2, a3, a4)
#define phsg_ledger_contribution_sum(a1, a2, a3, a4) phsg_ledger_contribution_sum(a4, a1, a2, a3)
#define phsg_ledger_award_create(a1, a2, a3, a4) phsg_ledger_award_create(a4, a1, a2, a3)
#define phsg_ledger_award_change(a1, a2, a3, a4, a5, a6, a7, a8) phsg_ledger_award_change(a7, a8, a1, a2, a3, a4, a5, a6)
#define phsg_ledger_award_cancel(a1, a2, a3, a4, a5, a6, a7) phsg_ledger_award_cancel(a7, a1, a2, a3, a4, a5, a6)
#define phsg_ledger_balance(a1, a2, a3, a4, a5, a6, a7) phsg_ledger_balance(a7, a1, a2, a3, a4, a5, a6)
#define phsg_ledger_contribution_account(a1, a2, a3, a4) phsg_ledger_contribution_account(a4, a1, a2, a3)
#define phsg_ledger_verify(a1, a2, a3, a4, a5) phsg_ledger_verify(a5, a1, a2, a3, a4)
#define phsg_ledger_copy(a1, a2, a3, a4, a5, a6, a7) phsg_ledger_copy(a6, a7, a1, a2, a3, a4, a5)
#define phsg_ledger_plan_load(a1, a2, a3) phsg_ledger_plan_load(a3, a1, a2)

#endif
