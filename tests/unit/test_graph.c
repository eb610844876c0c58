/* SPDX-License-Identifier: Apache-2.0 */
/* paygen graph: clusters per region and plugin, reference edges, filters. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "harness.h"

static char *draw(th_run *r, const pg_graph_filter *filter)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    pg_graph_write(f, &r->g, PG_STACK_PAYMENT, filter);
    fclose(f);
    return text;
}

static void test_clusters_and_edges(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    char *dot = draw(r, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "digraph \"payment\" {"));
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "subgraph \"cluster_use2\" {\n    label=\"us-east-2\";"));
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "subgraph \"cluster_use1_kms\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"aws_kms_alias.database_use1\" -> \"aws_kms_key.database_use1\";"));
    /* depends_on is an ordering edge, drawn dashed */
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"aws_rds_cluster.main_use2\" -> \"aws_rds_cluster_instance.instance_1_use1\" "
                                       "[style=dashed];"));
    free(dot);
    th_free(r);
}

static void test_filters(void)
{
    th_run *r = th_generate("profiles/migration.yaml", NULL);
    TH_ASSERT_OK(r);
    pg_graph_filter only = {.region = "us-east-2", .plugin = "kms"};
    char *dot = draw(r, &only);
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\"aws_kms_key.storage_use2\""));
    CU_ASSERT_PTR_NULL(strstr(dot, "_use1\""));
    CU_ASSERT_PTR_NULL(strstr(dot, "aws_vpc."));
    free(dot);
    pg_graph_filter global = {.region = "global"};
    dot = draw(r, &global);
    CU_ASSERT_PTR_NOT_NULL(strstr(dot, "cluster_global"));
    CU_ASSERT_PTR_NULL(strstr(dot, "cluster_use1"));
    free(dot);
    th_free(r);
}

int main(void)
{
    static const CU_TestInfo tests[] = {
        {"clusters and edges", test_clusters_and_edges},
        {"filters", test_filters},
        CU_TEST_INFO_NULL,
    };
    return th_main("graph", tests);
}
