/* SPDX-License-Identifier: Apache-2.0 */
/* A plugin that crashes takes the run down, but names itself first. Not run
 * under AddressSanitizer, whose own handler takes the signal first. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void test_crashing_plugin_is_named(void)
{
    char *args = pg_xasprintf("--profile profiles/migration.yaml -o '%s' --plugin-path '%s/fixture-plugins/crasher'",
                              th_scratch("cli-crash"), getenv("PAYGEN_BINARY_DIR"));
    th_cli_result r = th_cli(args);
    CU_ASSERT_TRUE(r.status != 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "paygen: crashed while running plugin crasher"));
    free(r.output);
    free(args);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"crashing plugin is named", test_crashing_plugin_is_named},
        CU_TEST_INFO_NULL,
    };
    return th_main("crash", tests);
}
