/* journey_doc: prints section 9's table of steps from the journey table,
 * for docs/protocol.md (make docs, and tests/test_docs.sh compares). */
#include <stdio.h>

#include "journey/journey.h"

int main(void)
{
    journey_markdown(stdout);
    return ferror(stdout) ? 1 : 0;
}
