/* SPDX-License-Identifier: Apache-2.0 */
/* Which plugin files paygen runs: StrictModes-style permissions, the plugin
 * lock, shadowing announced, --plugin subsets, the manifest's record of each
 * plugin, and a search path relative to the executable. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "sha256.h"

static th_cli_result run(const char *fmt, ...) PG_FMT(1, 2);
static th_cli_result run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *args = pg_xvasprintf(fmt, ap);
    va_end(ap);
    th_cli_result r = th_cli(args);
    free(args);
    return r;
}

static void expect_output(th_cli_result r, int status, const char *text)
{
    if (r.status != status || !strstr(r.output, text))
        fprintf(stderr, "\n  exit %d, wanted %d and '%s':\n%s\n", r.status, status, text, r.output);
    CU_ASSERT_EQUAL(r.status, status);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, text));
    free(r.output);
}

static void sh(const char *fmt, ...) PG_FMT(1, 2);
static void sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = pg_xvasprintf(fmt, ap);
    va_end(ap);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    free(cmd);
}

static const char *plugin_dir(void) { return getenv("PAYGEN_TEST_PLUGIN_DIR"); }

static void sha256_vectors(void)
{
    char hex[PG_SHA256_HEX];
    pg_sha256_bytes("abc", 3, hex);
    CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    pg_sha256_bytes("", 0, hex);
    CU_ASSERT_STRING_EQUAL(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* 56 bytes: the padding spills into a second block */
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    pg_sha256_bytes(two, strlen(two), hex);
    CU_ASSERT_STRING_EQUAL(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    static char million[1000000];
    memset(million, 'a', sizeof million);
    pg_sha256_bytes(million, sizeof million, hex);
    CU_ASSERT_STRING_EQUAL(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256_vectors(void)
{
    /* both the CPU's SHA extensions (where it has them) and the portable rounds */
    pg_sha256_portable_only(false);
    sha256_vectors();
    pg_sha256_portable_only(true);
    sha256_vectors();
    pg_sha256_portable_only(false);
}

static void test_sha256_paths_agree(void)
{
    /* every length from 0 to 300 bytes and some longer: block edges, padding */
    static unsigned char data[70000];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    int mismatches = 0;
    for (size_t n = 0; n < sizeof data; n += n < 300 ? 1 : 997) {
        char native[PG_SHA256_HEX], portable[PG_SHA256_HEX];
        pg_sha256_portable_only(false);
        pg_sha256_bytes(data, n, native);
        pg_sha256_portable_only(true);
        pg_sha256_bytes(data, n, portable);
        mismatches += strcmp(native, portable) != 0;
    }
    pg_sha256_portable_only(false);
    CU_ASSERT_EQUAL(mismatches, 0);
}

static void test_world_writable_directory_is_refused(void)
{
    const char *dir = th_scratch("trust-world");
    sh("cp '%s/kms.so' '%s/' && chmod 0777 '%s'", plugin_dir(), dir, dir);
    expect_output(run("plugins -P '%s'", dir), 1,
                  "is world-writable (mode 0777); anyone who can write there can run code as you");
    /* the development override loads it, and it shadows the build tree's kms */
    expect_output(run("plugins --insecure-plugins -P '%s'", dir), 0, "shadowed by ");
    sh("chmod 0755 '%s'", dir);
}

static void test_group_writable_plugin_file_is_refused(void)
{
    const char *dir = th_scratch("trust-group");
    sh("cp '%s/kms.so' '%s/' && chmod 0775 '%s/kms.so'", plugin_dir(), dir, dir);
    expect_output(run("plugins -P '%s'", dir), 1, "kms.so is group-writable (mode 0775)");
    setenv("PAYGEN_INSECURE_PLUGINS", "1", 1);
    expect_output(run("plugins -P '%s'", dir), 0, "ok");
    unsetenv("PAYGEN_INSECURE_PLUGINS");
}

static void test_shadowing_is_announced_by_generate(void)
{
    const char *dir = th_scratch("trust-shadow");
    sh("cp '%s/kms.so' '%s/'", plugin_dir(), dir);
    char *out = pg_xasprintf("%s/out", dir);
    char *want = pg_xasprintf("paygen: warning: plugin kms: %s/kms.so is used instead of %s/kms.so",
                              dir, plugin_dir());
    expect_output(run("--profile profiles/migration.yaml -P '%s' -o '%s'", dir, out), 0, want);
    free(want);
    free(out);
}

static void test_lock_pins_every_plugin(void)
{
    const char *dir = th_scratch("trust-lock");
    char *lock = pg_xasprintf("%s/paygen.lock", dir);
    char *out = pg_xasprintf("%s/out", dir);
    expect_output(run("plugins --lock --lock-file '%s'", lock), 0, "locked 17 plugins in");

    char kms_sha[PG_SHA256_HEX];
    char *kms = pg_xasprintf("%s/kms.so", plugin_dir());
    CU_ASSERT_EQUAL_FATAL(pg_sha256_file(kms, kms_sha), 0);
    char *grep = pg_xasprintf("grep -q '\"sha256\": \"%s\"' '%s'", kms_sha, lock);
    CU_ASSERT_EQUAL(system(grep), 0);
    free(grep);

    expect_output(run("--profile profiles/migration.yaml --lock-file '%s' -o '%s'", lock, out), 0,
                  "migration phase");

    /* a hash that differs: refused, naming the plugin and both hashes */
    sh("sed -i 's/%s/0000000000000000000000000000000000000000000000000000000000000000/' '%s'",
       kms_sha, lock);
    char *want = pg_xasprintf("plugin kms (%s) has sha256 %s, but the lock file", kms, kms_sha);
    expect_output(run("--profile profiles/migration.yaml --lock-file '%s' -o '%s'", lock, out), 1,
                  want);
    free(want);

    /* a plugin missing from the lock, and a pinned plugin that is not there */
    sh("sed -i 's/\"kms\":/\"kms-gone\":/' '%s'", lock);
    th_cli_result r = run("--profile profiles/migration.yaml --lock-file '%s' -o '%s'", lock, out);
    CU_ASSERT_EQUAL(r.status, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "plugin kms ("));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "is not in the lock file"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.output, "plugin kms-gone is pinned by the lock file"));
    free(r.output);

    sh("echo '{\"nothing\": 1}' > '%s'", lock);
    expect_output(run("--profile profiles/migration.yaml --lock-file '%s' -o '%s'", lock, out), 1,
                  "not a paygen lock file");
    free(kms);
    free(out);
    free(lock);
}

static void test_manifest_records_path_and_hash(void)
{
    const char *dir = th_scratch("trust-manifest");
    sh("'%s/paygen' --profile '%s' -q -o '%s/out'", getenv("PAYGEN_BINARY_DIR"),
       th_source("profiles/legacy.yaml"), dir);
    char *path = pg_xasprintf("%s/out/manifest.json", dir);
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    cJSON *m = cJSON_Parse(buf);
    const cJSON *vpc = th_path(m, "plugins.vpc");
    char *so = pg_xasprintf("%s/vpc.so", plugin_dir());
    char sha[PG_SHA256_HEX];
    CU_ASSERT_EQUAL_FATAL(pg_sha256_file(so, sha), 0);
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "path"), so);
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "sha256"), sha);
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "license"), "Apache-2.0");
    CU_ASSERT_STRING_EQUAL(th_str(vpc, "version"), "1.0.0");
    cJSON_Delete(m);
    free(so);
    free(path);
}

static void test_plugin_subset_runs_its_needs(void)
{
    const char *dir = th_scratch("trust-subset");
    char *out = pg_xasprintf("%s/out", dir);
    sh("'%s/paygen' --profile '%s' --plugin storage -q -o '%s'", getenv("PAYGEN_BINARY_DIR"),
       th_source("profiles/migration.yaml"), out);
    char *path = pg_xasprintf("%s/manifest.json", out);
    char *cmd = pg_xasprintf("grep -q '\"storage\"' '%s' && grep -q '\"kms\"' '%s' && "
                             "grep -q '\"iam\"' '%s' && ! grep -q '\"alb\"' '%s'",
                             path, path, path, path);
    CU_ASSERT_EQUAL(system(cmd), 0);
    free(cmd);
    free(path);
    expect_output(run("--profile profiles/migration.yaml --plugin nope -o '%s'", out), 1,
                  "--plugin nope: no such plugin was found");
    free(out);
}

static void test_installed_tree_without_plugins_fails(void)
{
    /* A copy of the executable with no plugins beside it or below its prefix. */
    const char *dir = th_scratch("trust-none");
    sh("mkdir -p '%s/bin' && cp '%s/paygen' '%s/bin/'", dir, getenv("PAYGEN_BINARY_DIR"), dir);
    char *cmd = pg_xasprintf("env -u PAYGEN_PLUGIN_PATH '%s/bin/paygen' plugins 2>&1 | "
                             "grep -q 'no plugins found'; test $? -eq 0",
                             dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    free(cmd);
    cmd = pg_xasprintf("env -u PAYGEN_PLUGIN_PATH '%s/bin/paygen' plugins >/dev/null 2>&1", dir);
    CU_ASSERT_NOT_EQUAL(system(cmd), 0);
    free(cmd);
}

static void test_installed_tree_finds_its_plugins(void)
{
    /* <prefix>/bin/paygen finds <prefix>/<libdir>/paygen/plugins, as after
     * cmake --install --prefix or an unpacked package. */
    const char *dir = th_scratch("trust-prefix");
    sh("mkdir -p '%s/bin' '%s/bin/%s' && cp '%s/paygen' '%s/bin/' && cp '%s/kms.so' '%s/bin/%s/'",
       dir, dir, PAYGEN_PLUGIN_RELDIR, getenv("PAYGEN_BINARY_DIR"), dir, plugin_dir(), dir,
       PAYGEN_PLUGIN_RELDIR);
    char *cmd = pg_xasprintf("env -u PAYGEN_PLUGIN_PATH '%s/bin/paygen' plugins | grep -q "
                             "'^kms .* ok .*/paygen/plugins/kms.so$'",
                             dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    free(cmd);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"SHA-256 test vectors (FIPS 180-4)", test_sha256_vectors},
        {"SHA-256: the CPU's rounds and the portable ones agree", test_sha256_paths_agree},
        {"a plugin in a world-writable directory is refused", test_world_writable_directory_is_refused},
        {"a group-writable plugin file is refused", test_group_writable_plugin_file_is_refused},
        {"generate announces a shadowed plugin", test_shadowing_is_announced_by_generate},
        {"the lock pins every plugin by sha256", test_lock_pins_every_plugin},
        {"the manifest records each plugin's path and hash", test_manifest_records_path_and_hash},
        {"--plugin runs a subset and what it needs", test_plugin_subset_runs_its_needs},
        {"no plugins found is a failure", test_installed_tree_without_plugins_fails},
        {"an installed tree finds its own plugins", test_installed_tree_finds_its_plugins},
        CU_TEST_INFO_NULL,
    };
    return th_main("trust", tests);
}
