/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_json.c - libFuzzer harness for the document path after the plugins:
 * bytes -> cJSON -> paygen validate (no provider schema) -> the writer's
 * sort and print. Whatever the JSON, validate reports or accepts, and
 * nothing leaks or reads out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        return 0;
    pg_errors errors = {0}, warnings = {0};
    size_t n = pg_validate_stack(doc, "payment", NULL, &errors, &warnings);
    if (n > errors.count)
        abort();
    pg_errors_free(&errors);
    pg_errors_free(&warnings);
    pg_json_sort(doc);
    char *printed = cJSON_Print(doc);
    if (printed) {
        /* What the writer prints must read back. */
        cJSON *again = cJSON_Parse(printed);
        if (!again)
            abort();
        cJSON_Delete(again);
        free(printed);
    }
    cJSON_Delete(doc);
    return 0;
}
