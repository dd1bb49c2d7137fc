"""The cloud backend: the action functions, served to a Bedrock agent, an AgentCore gateway
and the SDK from one Lambda handler (``synthdata_sdk.cloud.handler.lambda_handler``).

Needs the ``aws`` extra (boto3 and aws-lambda-powertools). The core never imports this
package; this package imports the core. Importing it alone imports nothing heavy: each
module brings in what it uses.
"""
