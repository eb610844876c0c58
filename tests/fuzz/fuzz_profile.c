/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_profile.c - libFuzzer harness for the profile loader: any bytes give
 * a profile or a clean error, and everything is freed either way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pg_profile p = {0};
    pg_errors err = {0};
    int rc = pg_profile_load_buffer(&p, "fuzz.yaml", data, size, &err);
    /* A failure always says why. */
    if (rc != 0 && err.count == 0)
        abort();
    if (rc == 0) {
        /* Walk what was loaded, as settings.c would. */
        for (size_t i = 0; i < p.count; i++) {
            const pg_value *v = &p.values[i];
            if (!v->key || (!v->text && v->item_count && !v->items))
                abort();
            if (pg_profile_find(&p, v->key) == NULL)
                abort();
        }
        for (size_t i = 0; i < p.region_count; i++)
            for (size_t j = 0; j < p.regions[i].az_count; j++)
                if (!p.regions[i].azs[j])
                    abort();
        /* --set over a loaded profile, with the fuzzer's text as the value. */
        char assignment[64] = "suffix=";
        size_t n = size < sizeof assignment - 8 ? size : sizeof assignment - 8;
        memcpy(assignment + 7, data, n);
        assignment[7 + n] = '\0';
        (void)pg_profile_set(&p, assignment, &err);
    }
    pg_errors_free(&err);
    pg_profile_free(&p);
    return 0;
}
