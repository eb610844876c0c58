/* A plugin that crashes takes the run down, but names itself first. Not run
 * under AddressSanitizer, whose own handler takes the signal first. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"

typedef struct result {
    int status; /* exit code, or 128 + signal */
    char *output; /* stdout and stderr together */
} result;

static result run(const char *args)
{
    char *cmd = pg_xasprintf("cd '%s' && '%s/paygen' %s 2>&1", getenv("PAYGEN_SOURCE_DIR"),
                             getenv("PAYGEN_BINARY_DIR"), args);
    FILE *p = popen(cmd, "r");
    free(cmd);
    result r = {0};
    size_t cap = 0, len = 0;
    char chunk[4096];
    for (size_t n; p && (n = fread(chunk, 1, sizeof chunk, p)) > 0;) {
        pg_grow(&r.output, &cap, len + n + 1, 1);
        memcpy(r.output + len, chunk, n);
        len += n;
        r.output[len] = '\0';
    }
    if (!r.output)
        r.output = pg_xstrdup("");
    int st = p ? pclose(p) : -1;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
    return r;
}

static void test_crashing_plugin_is_named(void)
{
    char *args = pg_xasprintf("--profile profiles/migration.yaml -o '%s' --plugin-path '%s/fixture-plugins/crasher'",
                              th_scratch("cli-crash"), getenv("PAYGEN_BINARY_DIR"));
    result r = run(args);
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
