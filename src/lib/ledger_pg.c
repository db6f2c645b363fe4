/* ledger_pg.c - placeholder until the PostgreSQL backend lands. */
#include "phsg/error.h"
#include "phsg/sys/ledger_backend.h"

int phsg_ledger_postgresql_open(phsg_ledger_backend **out, const char *uri, int mode)
{
	(void)mode;
	*out = 0;
	return phsg_error_set(PHSG_ELEDGER, "'%s': PostgreSQL ledgers are not built in", uri);
}
