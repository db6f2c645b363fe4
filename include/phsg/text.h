/*
 * phsg/text.h - what text phsg accepts (SPEC section 12).
 *
 * Everything that comes in is untrusted.  A reference (a payee or a
 * client) is 1 to 32 characters from A-Z a-z 0-9 . _ - /, starting with a
 * letter or a digit, so it can stand in a file name, a Bacs reference, a
 * journal description or a CSV cell without meaning anything there.  A
 * name (a payee's name, a reason, a goal) is printable UTF-8: no control
 * characters, no invalid sequences, no NUL, and not longer than its limit.
 */
#ifndef PHSG_TEXT_H
#define PHSG_TEXT_H

#include <stddef.h>

/** The longest reference, in characters. */
#define PHSG_REF_MAX 32
/** The longest name (a payee's name), in characters. */
#define PHSG_NAME_MAX 100
/** The longest free text (a reason, a note), in characters. */
#define PHSG_TEXT_MAX 500

/**
 * Check a reference; `what` names it in the message ("payee reference").
 * PHSG_EINVAL with the rule when it is not one.
 */
int phsg_text_check_ref(const char *what, const char *s);

/**
 * Check `len` bytes of text: valid UTF-8, no NUL or other control
 * character, 1 to `max` characters.  PHSG_EINVAL naming `what` otherwise.
 */
int phsg_text_check(const char *what, const char *s, size_t len, size_t max);

/** phsg_text_check of a NUL-terminated string. */
int phsg_text_check_name(const char *what, const char *s, size_t max);

/**
 * Is `s` valid UTF-8 of `len` bytes with no NUL?  1 or 0.  (Control
 * characters are allowed here: this is for text that may hold line breaks,
 * such as a CSV file's content.)
 */
int phsg_text_utf8_valid(const char *s, size_t len);

/**
 * Could `s` have come in through phsg: valid UTF-8 with no control
 * character (what phsg_text_check() asks, whatever its length; "" and NULL
 * pass)?  1 or 0.  Text read from a ledger that fails it was written there
 * behind phsg's back: show it escaped (phsg_text_escape()).
 */
int phsg_text_printable(const char *s);

/**
 * `len` bytes of text as one line that shows what they hold: a new string
 * (free() it; memory running out aborts) in which each control character
 * (C0, DEL, C1), line or paragraph separator (U+2028, U+2029) and byte
 * that is not UTF-8 is an escape - \n, \r, \t; \xNN for a byte; \uNNNN
 * for a character - and each backslash is \\.  Nothing is cut.
 */
char *phsg_text_escape(const char *s, size_t len);

/**
 * Would a spreadsheet read this CSV cell as a formula?  A cell beginning
 * with = + - @, a tab or a carriage return, unless it is a plain number
 * (-12.34, 10/3): such a cell is written with a leading ' (SPEC section 12).
 */
int phsg_text_csv_needs_guard(const char *cell);

/**
 * Split "KEY=VALUE" (a need, a component's payee): KEY into `key` (of
 * `key_size` bytes), *value to the text after the '='.  PHSG_EINVAL, "'SPEC'
 * is not WHAT", when there is no '=', either side is empty or KEY does not
 * fit.
 */
int phsg_text_split_pair(char *key, size_t key_size, const char **value, const char *spec,
			 const char *what);

#endif
