# Values the mocked provider returns in the environments' terraform test (and in
# tests/infra's mocked apply): AWS-shaped ARNs where the provider checks the shape; every
# other computed value is random. Region us-east-1, as the environments' terraform.tfvars.
mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_region" {
  defaults = { name = "us-east-1" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000001" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/synthdata-mock-role" }
}

mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::synthdata-mock-bucket" }
}

mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/synthdata-mock-table" }
}

mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:synthdata-mock-function" }
}

mock_resource "aws_lambda_layer_version" {
  defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:layer:synthdata-mock-layer:1" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/synthdata-mock-function" }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:us-east-1:123456789012:synthdata-mock-topic" }
}

mock_resource "aws_backup_vault" {
  defaults = { arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:synthdata-mock-vault" }
}

mock_resource "aws_opensearchserverless_collection" {
  defaults = { arn = "arn:aws:aoss:us-east-1:123456789012:collection/mockcollection01" }
}

mock_resource "aws_bedrockagent_knowledge_base" {
  defaults = { arn = "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/MOCKKB0001" }
}

mock_resource "aws_bedrockagent_agent" {
  defaults = {
    agent_id  = "MOCKAGENT1"
    agent_arn = "arn:aws:bedrock:us-east-1:123456789012:agent/MOCKAGENT1"
  }
}

mock_resource "aws_bedrockagent_agent_alias" {
  defaults = { agent_alias_arn = "arn:aws:bedrock:us-east-1:123456789012:agent-alias/MOCKAGENT1/MOCKALIAS1" }
}
