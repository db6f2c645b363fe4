/*
 * award_json.h - the award model's JSON side, inside the library only.
 *
 * The public API takes an event's data as JSON text (phsg_award_apply);
 * the library's own callers, which hold the data as a jansson object
 * already (replay, the ledger's award rules), apply it without printing
 * and parsing it again.  jansson never appears in a public header.
 */
#ifndef PHSG_AWARD_JSON_H
#define PHSG_AWARD_JSON_H

#include <jansson.h>
#include "phsg/award.h"

/** phsg_award_apply() with the event's data as a jansson object (borrowed). */
int phsg_award_apply_json(phsg_award *aw, const phsg_scheme *sc, const char *kind,
			  phsg_date effective, json_t *data);

/**
 * Each text in an event's data - every key, and every string however deep
 * (a reason, a payee, a need's level) - checked as a command checks text
 * on its way in (phsg_text_check: valid UTF-8, no control character; an
 * empty string passes).  0, or PHSG_EINVAL with the first that fails named
 * ("its reason holds a control character ...").  Data that is not JSON
 * passes: replaying the event says so.
 */
int phsg_award_event_texts(const char *data);

#endif
