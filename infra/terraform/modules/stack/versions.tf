terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # aws.replica: the region backups are copied to (prod); unused when cross_region_backup is off
      configuration_aliases = [aws.replica]
    }
  }
}
