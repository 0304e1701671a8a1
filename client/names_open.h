/* names_open: the parties' names of an offer, which the requesting node
 * sealed to the offered mediator's own key. Opened here, in the
 * mediator's mpool: their node holds them but cannot read them. */
#ifndef MPOOL_NAMES_OPEN_H
#define MPOOL_NAMES_OPEN_H

#include <jansson.h>

#include "cli.h"

/* For one offer (an object) or each of a list of them, as the node sent
 * them: "names_sealed" gives way to "names", a list of {"kind", "label"},
 * or null while the node holds none. Names that do not open with the
 * person's key are null, with "names_problem" saying why. Returns RC_OK,
 * or an exit code after saying why the key could not be loaded. */
int names_open(struct cli *cli, json_t *offers);

#endif
