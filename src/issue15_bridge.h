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
 * Generated with `tools/api-rename --bridge FILE...` over those files.
 */
#ifndef PHSG_ISSUE15_BRIDGE_H
#define PHSG_ISSUE15_BRIDGE_H

/* every public header first, so that the macros below rename only the
   calls in the file itself, never a declaration */
#include "phsg.h"

/* bacs.c returns it when calloc fails; phsg now aborts (phsg/error.h) */
#define PHSG_ENOMEM (-5)

#define phsg_check_ref phsg_text_check_ref
#define phsg_rounding_name phsg_money_rounding_name
#define phsg_round_pence phsg_money_round_pence
#define phsg_decimal_format phsg_money_format
#define phsg_pence_pretty phsg_money_pretty_pence
#define phsg_date_parse(a1, a2) phsg_date_parse(a2, a1)
#define phsg_date_from_ymd(a1, a2, a3, a4) phsg_date_from_ymd(a4, a1, a2, a3)
#define phsg_date_to_ymd(a1, a2, a3, a4) phsg_date_to_ymd(a2, a3, a4, a1)
#define phsg_fy_start phsg_date_fy_start
#define phsg_fy_name phsg_date_fy_name
#define phsg_need_name phsg_scheme_need_name
#define phsg_component_kind_name phsg_scheme_component_kind_name
#define phsg_method_name phsg_scheme_method_name
#define phsg_scheme_rate_at(a1, a2, a3) phsg_scheme_rate_at(a3, a1, a2)
#define phsg_calendar_is_working_day(a1, a2, a3) phsg_scheme_calendar_is_working_day(a3, a1, a2)
#define phsg_calendar_roll(a1, a2, a3) phsg_scheme_calendar_roll(a3, a1, a2)
#define phsg_component_weekly(a1, a2, a3, a4, a5) phsg_alloc_component_weekly(a4, a5, a1, a2, a3)
#define phsg_award_accrue(a1, a2, a3, a4, a5, a6, a7) phsg_award_accrue(a6, a7, a1, a2, a3, a4, a5)
#define phsg_entitled_pence(a1, a2, a3, a4, a5) phsg_payrule_entitled_pence(a5, a1, a2, a3, a4)
#define phsg_payrule_apply(a1, a2, a3, a4, a5) phsg_payrule_apply(a5, a1, a2, a3, a4)
#define phsg_outcome_status_name phsg_plan_outcome_status_name
#define phsg_payee_release phsg_ledger_payee_release
#define phsg_batch_release phsg_ledger_batch_release
#define phsg_event_rows_free phsg_ledger_event_rows_free
#define phsg_payment_rows_free phsg_ledger_payment_rows_free
#define phsg_award_history_release phsg_ledger_award_history_release
#define phsg_ledger_payee_get_on(a1, a2, a3, a4) phsg_ledger_payee_get_on(a4, a1, a2, a3)
#define phsg_ledger_award_lookup(a1, a2, a3) phsg_ledger_award_lookup(a3, a1, a2)
#define phsg_ledger_award_load(a1, a2, a3, a4) phsg_ledger_award_load(a4, a1, a2, a3)
#define phsg_ledger_award_events(a1, a2, a3, a4) phsg_ledger_award_events(a3, a4, a1, a2)
#define phsg_ledger_packages(a1, a2, a3) phsg_ledger_packages(a2, a3, a1)
#define phsg_ledger_award_ids(a1, a2, a3) phsg_ledger_award_ids(a2, a3, a1)
#define phsg_ledger_awards_due(a1, a2, a3, a4) phsg_ledger_awards_due(a3, a4, a1, a2)
#define phsg_ledger_award_history(a1, a2, a3) phsg_ledger_award_history(a3, a1, a2)
#define phsg_ledger_batch_add(a1, a2, a3) phsg_ledger_batch_add(a3, a1, a2)
#define phsg_ledger_batch_ids(a1, a2, a3) phsg_ledger_batch_ids(a2, a3, a1)
#define phsg_ledger_batch_summary(a1, a2, a3, a4) phsg_ledger_batch_summary(a3, a4, a1, a2)
#define phsg_ledger_batch_get(a1, a2, a3) phsg_ledger_batch_get(a3, a1, a2)
#define phsg_ledger_batch_info(a1, a2, a3) phsg_ledger_batch_info(a3, a1, a2)
#define phsg_ledger_award_payments(a1, a2, a3, a4) phsg_ledger_award_payments(a3, a4, a1, a2)
#define phsg_ledger_contribution_sum(a1, a2, a3, a4) phsg_ledger_contribution_sum(a4, a1, a2, a3)
#define phsg_ledger_balance(a1, a2, a3, a4, a5, a6, a7) phsg_ledger_balance(a7, a1, a2, a3, a4, a5, a6)
#define phsg_ledger_contribution_account(a1, a2, a3, a4) phsg_ledger_contribution_account(a4, a1, a2, a3)
#define phsg_ledger_plan_load(a1, a2, a3) phsg_ledger_plan_load(a3, a1, a2)

#endif
