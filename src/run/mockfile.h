/*
** mockfile.h: AWS Step Functions Local's MockConfigFile, turned into the answer table of
** run_mock_task (run.h).
**
**   {"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response>"}}}},
**    "MockedResponses": {"<response>": {"0": {"Return": ...}, "1-2": {"Throw": {...}}}}}
*/
#ifndef SFL_RUN_MOCKFILE_H
#define SFL_RUN_MOCKFILE_H

#include <cjson/cJSON.h>
#include "core/diag.h"

/*
** The table for `test_case` of `machine` ({"State": [answer per invocation, ...]}), a new
** tree the caller deletes; NULL with `d` filled when the file is wrong. When the file has
** one state machine it is used whatever `machine` is; `aliases` are other names the
** machine may go by in the file (NULL-terminated, may be NULL).
*/
cJSON *run_mock_table(const cJSON *config, const char *machine, const char *const *aliases,
                      const char *test_case, struct diag *d);

#endif
