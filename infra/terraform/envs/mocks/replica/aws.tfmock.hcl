# The replica-region provider of the environments' terraform test: region us-west-2, as
# replica_region in terraform.tfvars.
mock_data "aws_region" {
  defaults = { name = "us-west-2" }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:us-west-2:123456789012:key/00000000-0000-4000-8000-000000000002" }
}

mock_resource "aws_backup_vault" {
  defaults = { arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:synthdata-mock-replica" }
}
