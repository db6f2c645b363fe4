/*
 * fuzz.h - what the libFuzzer harnesses in tests/fuzz/ share.
 *
 * A harness checks invariants of what it calls; a broken invariant is
 * reported with FUZZ_CHECK, which prints what was expected and aborts, so
 * that libFuzzer saves the input as a crash.  No float or double anywhere.
 */
#ifndef PHSG_FUZZ_H
#define PHSG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                        \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: invariant broken: %s\n  ", __FILE__,  \
				__LINE__, #cond);                                    \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

/*
 * A finding already reported, by name, that a run may be told to pass over
 * (PHSG_FUZZ_KNOWN=name,name... in the environment) so that fuzzing can go
 * on past it until it is fixed.  By default nothing is passed over.
 */
static inline int fuzz_known(const char *name)
{
	const char *k = getenv("PHSG_FUZZ_KNOWN");
	size_t n = strlen(name);

	for (; k && *k; k += strcspn(k, ","), k += *k == ',') {
		if (strncmp(k, name, n) == 0 && (k[n] == ',' || k[n] == '\0'))
			return 1;
	}
	return 0;
}

/* A reader over the fuzzer's bytes: numbers first, text from what is left. */
typedef struct {
	const uint8_t *p;
	size_t n;
} fuzz_in;

static inline uint64_t fuzz_u64(fuzz_in *in, size_t bytes)
{
	uint64_t v = 0;

	for (size_t i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v = (v << 8) | *in->p;
	return v;
}

static inline unsigned fuzz_byte(fuzz_in *in)
{
	return (unsigned)fuzz_u64(in, 1);
}

/* A copy of the next `len` bytes (fewer if the input runs out), NUL-terminated. */
static inline char *fuzz_bytes(fuzz_in *in, size_t len, size_t *got)
{
	char *s;

	if (len > in->n)
		len = in->n;
	s = malloc(len + 1);
	if (!s)
		abort();
	if (len)
		memcpy(s, in->p, len);
	s[len] = '\0';
	in->p += len;
	in->n -= len;
	if (got)
		*got = len;
	return s;
}

/* The next text: up to a NUL byte (consumed) or the end. */
static inline char *fuzz_string(fuzz_in *in)
{
	const uint8_t *z = memchr(in->p, 0, in->n);
	size_t len = z ? (size_t)(z - in->p) : in->n;
	char *s = fuzz_bytes(in, len, NULL);

	if (z) {
		in->p++;
		in->n--;
	}
	return s;
}

#endif
