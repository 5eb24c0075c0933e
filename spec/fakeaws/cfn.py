"""CloudFormation for the fake endpoint (Query API)."""
from awswire import AwsError, VERSIONS


class Engine:
    def __init__(self, state):
        self.state = state
        self.stacks = {}

    def snapshot(self):
        return {}

    def handle(self, req, identity):
        raise AwsError(400, "InvalidAction", "Could not find operation %s for version %s"
                       % (req.action, VERSIONS["cloudformation"]))
