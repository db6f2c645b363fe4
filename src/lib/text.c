/*
 * text.c - references and names (SPEC section 12).
 *
 * UTF-8 is checked by hand because it is a dozen lines and exact: the
 * shortest form only (no overlong encodings), no surrogates, nothing past
 * U+10FFFF.  Control characters are C0 (below U+0020), DEL and C1
 * (U+0080 to U+009F).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/text.h"
#include "util.h"

/*
 * Decode one UTF-8 sequence at s (n bytes left): its length, and the code
 * point in *cp; 0 when the sequence is invalid.
 */
size_t phsg_utf8_one(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c = s[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int phsg_text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0;

	/*
	 * Most text is ASCII: pass over it eight bytes at a time while none
	 * has its high bit set and none is NUL, then a byte at a time.
	 */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, u + i, 8);
		if ((w & 0x8080808080808080u) || ((w - 0x0101010101010101u) & ~w & 0x8080808080808080u))
			break;
	}
	while (i < len && u[i] - 1u < 0x7fu)
		i++;
	while (i < len) {
		size_t k = phsg_utf8_one(u + i, len - i, &cp);
		if (k == 0 || cp == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* What text_scan() found first in a text. */
enum { TEXT_OK, TEXT_NOT_UTF8, TEXT_CONTROL };

/*
 * The one rule for text phsg takes in, for phsg_text_check() (which says
 * what is wrong) and phsg_text_printable() (which only asks): valid UTF-8
 * with no control character, C0, DEL or C1.  On TEXT_NOT_UTF8 *at is the
 * bad byte's offset; on TEXT_CONTROL *cp is the character.  *chars counts
 * the characters before what was found (all of them on TEXT_OK).
 */
static int text_scan(const unsigned char *u, size_t len, size_t *at, size_t *chars,
		     unsigned long *cp)
{
	*chars = 0;
	for (size_t i = 0; i < len; (*chars)++) {
		size_t k = phsg_utf8_one(u + i, len - i, cp);
		*at = i;
		if (k == 0)
			return TEXT_NOT_UTF8;
		if (*cp < 0x20 || *cp == 0x7f || (*cp >= 0x80 && *cp <= 0x9f))
			return TEXT_CONTROL;
		i += k;
	}
	return TEXT_OK;
}

int phsg_text_check(const char *what, const char *s, size_t len, size_t max)
{
	unsigned long cp;
	size_t at, chars;

	if (!s || len == 0)
		return phsg_error_set(PHSG_EINVAL, "%s is empty", what);
	switch (text_scan((const unsigned char *)s, len, &at, &chars, &cp)) {
	case TEXT_NOT_UTF8:
		return phsg_error_set(PHSG_EINVAL, "%s is not valid UTF-8 (byte %zu)", what, at + 1);
	case TEXT_CONTROL:
		return phsg_error_set(PHSG_EINVAL, "%s holds a control character (U+%04lX, "
				      "character %zu): not allowed", what, cp, chars + 1);
	}
	if (chars > max)
		return phsg_error_set(PHSG_EINVAL, "%s is %zu characters long: at most %zu", what,
				      chars, max);
	return 0;
}

int phsg_text_check_name(const char *what, const char *s, size_t max)
{
	return phsg_text_check(what, s, s ? strlen(s) : 0, max);
}

int phsg_text_printable(const char *s)
{
	unsigned long cp;
	size_t at, chars;

	return !s || text_scan((const unsigned char *)s, strlen(s), &at, &chars, &cp) == TEXT_OK;
}

char *phsg_text_escape(const char *s, size_t len)
{
	const unsigned char *m = (const unsigned char *)s;
	size_t cap = 4 * len + 1, o = 0; /* an escape is at most four bytes for one: \xNN */
	char *line = malloc(cap);

	if (!line)
		abort();
	for (size_t i = 0; i < len;) {
		unsigned long cp = m[i];
		size_t k = cp < 0x80 ? 1 : phsg_utf8_one(m + i, len - i, &cp);
		int byte = k == 0; /* no character: the byte itself */

		if (byte)
			k = 1;
		if (cp == '\\' || cp == '\n' || cp == '\r' || cp == '\t') {
			line[o++] = '\\';
			line[o++] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : cp == '\t' ? 't' : '\\';
		} else if (byte || cp < 0x20 || cp == 0x7f) {
			o += (size_t)snprintf(line + o, cap - o, "\\x%02X", m[i]);
		} else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029) {
			o += (size_t)snprintf(line + o, cap - o, "\\u%04lX", cp);
		} else {
			memcpy(line + o, m + i, k);
			o += k;
		}
		i += k;
	}
	line[o] = '\0';
	return line;
}

/* Plain printable ASCII: safe to quote in a message. */
static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

int phsg_text_check_ref(const char *what, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0)
		return phsg_error_set(PHSG_EINVAL, "%s is empty", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || !strchr("._-/", c)))
			return phsg_error_set(PHSG_EINVAL, "%s '%.40s%s' is not a reference: 1 to %d "
					      "characters from A-Z a-z 0-9 . _ - /, starting with a "
					      "letter or a digit", what, printable(s, n) ? s : "(unprintable)",
					      printable(s, n) && n > 40 ? "..." : "", PHSG_REF_MAX);
	}
	if (n > PHSG_REF_MAX)
		return phsg_error_set(PHSG_EINVAL, "%s '%.40s...' is %zu characters long: a reference "
				      "has at most %d", what, s, n, PHSG_REF_MAX);
	return 0;
}

/* A plain number: -12.34, 7, 10/3 (exact hours). */
static int is_number(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '-' || s[i] == '+')
		i++;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (!digits)
		return 0;
	if (s[i] == '.' || s[i] == '/') {
		size_t more = 0;
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, more++;
		if (!more)
			return 0;
	}
	return s[i] == '\0';
}

int phsg_text_csv_needs_guard(const char *cell)
{
	if (!cell || !strchr("=+-@\t\r", cell[0]) || cell[0] == '\0')
		return 0;
	return !is_number(cell);
}

int phsg_text_split_pair(char *key, size_t key_size, const char **value, const char *spec,
			 const char *what)
{
	const char *eq = strchr(spec, '=');

	if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= key_size)
		return phsg_error_set(PHSG_EINVAL, "'%s' is not %s", spec, what);
	memcpy(key, spec, (size_t)(eq - spec));
	key[eq - spec] = '\0';
	*value = eq + 1;
	return 0;
}
