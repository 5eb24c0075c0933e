/*
** types.h: every userdata type the Lua API hands out, defined once.
** SFL_TYPE(enum suffix, metatable name (what error messages show), interface flags)
**
** The metatable name is the CDK path of the class with "sfl." in front, so a message
** reads `sfl.aws_stepfunctions.IChainable expected, got sfl.aws_lambda.Function`.
*/
SFL_TYPE(APP,             "sfl.App",                                   LT_CONSTRUCT)
SFL_TYPE(STACK,           "sfl.Stack",                                 LT_CONSTRUCT)
SFL_TYPE(CONSTRUCT,       "sfl.constructs.Construct",                  LT_CONSTRUCT)
SFL_TYPE(DURATION,        "sfl.Duration",                              0)
SFL_TYPE(NULL_VALUE,      "sfl.null",                                  LT_JSON)
SFL_TYPE(CFN_TOKEN,       "sfl.Token",                                 LT_JSON)
SFL_TYPE(FUNCTION,        "sfl.aws_lambda.Function",                   LT_CONSTRUCT)
SFL_TYPE(RUNTIME,         "sfl.aws_lambda.Runtime",                    0)
SFL_TYPE(CODE,            "sfl.aws_lambda.Code",                       0)
SFL_TYPE(PASS,            "sfl.aws_stepfunctions.Pass",                LT_STATE)
SFL_TYPE(SUCCEED,         "sfl.aws_stepfunctions.Succeed",             LT_STATE)
SFL_TYPE(FAIL,            "sfl.aws_stepfunctions.Fail",                LT_STATE)
SFL_TYPE(CHOICE,          "sfl.aws_stepfunctions.Choice",              LT_STATE)
SFL_TYPE(PARALLEL,        "sfl.aws_stepfunctions.Parallel",            LT_STATE)
SFL_TYPE(LAMBDA_INVOKE,   "sfl.aws_stepfunctions_tasks.LambdaInvoke",  LT_STATE)
SFL_TYPE(EMR_CREATE_CLUSTER, "sfl.aws_stepfunctions_tasks.EmrCreateCluster", LT_STATE)
SFL_TYPE(EMR_ADD_STEP,    "sfl.aws_stepfunctions_tasks.EmrAddStep",    LT_STATE)
SFL_TYPE(CHAIN,           "sfl.aws_stepfunctions.Chain",               LT_CHAINABLE)
SFL_TYPE(STATE_MACHINE,   "sfl.aws_stepfunctions.StateMachine",        LT_CONSTRUCT)
SFL_TYPE(CONDITION,       "sfl.aws_stepfunctions.Condition",           0)
SFL_TYPE(TASK_INPUT,      "sfl.aws_stepfunctions.TaskInput",           0)
SFL_TYPE(JSON_PATH,       "sfl.aws_stepfunctions.JsonPath",            LT_JSON)
SFL_TYPE(DEFINITION_BODY, "sfl.aws_stepfunctions.DefinitionBody",      0)
SFL_TYPE(RESULT,          "sfl.aws_stepfunctions.Result",              0)
