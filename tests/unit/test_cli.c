/* SPDX-License-Identifier: Apache-2.0 */
/* The paygen command line as a user meets it: exit codes, error format,
 * the summary and the plugin listing. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void expect(const char *args, int status, const char *text)
{
    th_cli_result r = th_cli(args);
    if (r.status != status || !strstr(r.output, text))
        fprintf(stderr, "\n  paygen %s -> %d:\n%s\n", args, r.status, r.output);
    CU_ASSERT_EQUAL(r.status, status);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, text));
    free(r.output);
}

static void test_version_and_help(void)
{
    expect("--version", 0, "paygen 0.2.0 (plugin ABI 2.1)");
    expect("--help", 0, "usage: paygen [generate] --profile FILE");
    expect("generate --help", 0, "--set KEY=VALUE");
}

static void test_usage_errors_exit_2(void)
{
    expect("", 2, "usage:");
    expect("frobnicate", 2, "paygen: unknown command 'frobnicate'");
    expect("--profile", 2, "paygen: option --profile needs a value");
    expect("-o out", 2, "paygen: --profile FILE is required");
    expect("--profile profiles/legacy.yaml --bogus", 2, "paygen: unknown option '--bogus'");
    /* whole option names only: a prefix of another option is not that option */
    expect("--profile profiles/legacy.yaml --lock", 2, "paygen: unknown option '--lock'");
    expect("--prof profiles/legacy.yaml", 2, "paygen: unknown option '--prof'");
}

static void test_errors_carry_file_line_col(void)
{
    const char *scratch = th_scratch("cli");
    char *file = pg_xasprintf("%s/bad.yaml", scratch);
    FILE *f = fopen(file, "w");
    fputs("extends: PROFILES/base.yaml\nphase: migration\ncutover: \"2026-12-01T06:00:00Z\"\n"
          "protecton: true\n",
          f);
    fclose(f);
    /* point extends at the real base profile */
    char *fix = pg_xasprintf("sed -i 's|PROFILES|%s/profiles|' '%s'", getenv("PAYGEN_SOURCE_DIR"), file);
    CU_ASSERT_EQUAL(system(fix), 0);
    char *args = pg_xasprintf("--profile '%s' -o '%s/out' --allow-extends-outside", file, scratch);
    char *msg = pg_xasprintf("paygen: %s:4:1: unknown key 'protecton' (did you mean 'protection'?)", file);
    expect(args, 1, msg);
    free(msg);
    free(args);
    free(fix);
    free(file);
    expect("--profile profiles/nope.yaml", 1, "paygen: profiles/nope.yaml: No such file or directory");
}

static void test_summary_lists_stacks_and_plugins(void)
{
    char *args = pg_xasprintf("--profile profiles/migration.yaml -o '%s'", th_scratch("cli-summary"));
    th_cli_result r = th_cli(args);
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "migration phase, environment production, suffix abc123"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "stacks/payment/cdk.tf.json:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "us-east-2"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "\n  kms "));
    free(r.output);
    free(args);
}

static void test_plugins_command_lists_status(void)
{
    expect("plugins", 0, "kms ");
    char *args = pg_xasprintf("plugins --plugin-path '%s/fixture-plugins/bad_abi'", getenv("PAYGEN_BINARY_DIR"));
    expect(args, 1, "broken");
    free(args);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"version and help", test_version_and_help},
        {"usage errors exit 2", test_usage_errors_exit_2},
        {"errors carry FILE:LINE:COL", test_errors_carry_file_line_col},
        {"summary lists stacks and plugins", test_summary_lists_stacks_and_plugins},
        {"plugins command lists status", test_plugins_command_lists_status},
        CU_TEST_INFO_NULL,
    };
    return th_main("cli", tests);
}
