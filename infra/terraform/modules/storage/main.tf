# Three buckets: datasets (the shared cache and the function's output), templates (the
# knowledge base's source, uploaded from the package's files) and the access-log bucket both
# log to. The first two are SSE-KMS with the data key and refuse any other encryption; the
# log bucket is SSE-S3 because S3 server access logging cannot deliver to an SSE-KMS bucket.
data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  # Buckets encrypted with the data key, keyed by purpose. Names end with the account id.
  protected = {
    datasets = {
      name   = "${format(local.name.datagen, "s3", "datasets")}-${var.account_id}"
      domain = "datagen"
    }
    templates = {
      name   = "${format(local.name.schema, "s3", "templates")}-${var.account_id}"
      domain = "schema"
    }
  }
  log_bucket = "${format(local.name.infra, "s3", "logs")}-${var.account_id}"

  # ARNs from the names, so the policies are known before the buckets exist
  arn     = { for purpose, bucket in local.protected : purpose => "arn:${local.partition}:s3:::${bucket.name}" }
  log_arn = "arn:${local.partition}:s3:::${local.log_bucket}"
  # where each bucket's access logs go in the log bucket
  log_prefix = { for purpose, bucket in local.protected : purpose => "s3/${bucket.name}/" }

  content_types = {
    json = "application/json"
    md   = "text/markdown"
    txt  = "text/plain"
    yaml = "application/yaml"
    yml  = "application/yaml"
    csv  = "text/csv"
    html = "text/html"
  }
}

# A Deny covers every S3 action ("s3:*"): a deny narrowed to a list would leave the other
# actions open over plain HTTP. Allow statements always list their actions.
# { AWS = "*" } is AWS's other spelling of the principal "*" (everyone, anonymous included);
# moto, which the core stack is applied to in CI, reads Principal only in this form.
locals {
  everyone = { AWS = "*" }

  deny_insecure_transport = {
    for purpose, arn in merge(local.arn, { logs = local.log_arn }) : purpose => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = local.everyone
      Action    = "s3:*"
      Resource  = [arn, "${arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }
}

# ---- datasets and templates ---------------------------------------------------------------

resource "aws_s3_bucket" "protected" {
  #checkov:skip=CKV_AWS_144:Cross-region replication is not wanted: datasets are a cache the same request regenerates byte for byte, templates are re-uploaded from the package, and prod's cross-region copies are made by AWS Backup.
  #checkov:skip=CKV2_AWS_62:No consumer of object events: the SDK looks datasets up by fingerprint, the knowledge base syncs on demand.
  for_each = local.protected

  bucket        = each.value.name
  force_destroy = var.force_destroy
  tags          = { Domain = each.value.domain }

  lifecycle {
    precondition {
      condition     = length(each.value.name) <= 63
      error_message = "bucket name ${each.value.name} is longer than S3's 63 characters: shorten project."
    }
  }
}

resource "aws_s3_bucket_versioning" "protected" {
  for_each = aws_s3_bucket.protected

  bucket = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "protected" {
  for_each = aws_s3_bucket.protected

  bucket = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.data_key_arn
    }
    # one data key per bucket and period instead of a KMS call per object
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "protected" {
  for_each = aws_s3_bucket.protected

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "protected" {
  for_each = aws_s3_bucket.protected

  bucket = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "protected" {
  for_each = aws_s3_bucket.protected

  bucket = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.deny_insecure_transport[each.key],
      {
        # a put that asks for another encryption than aws:kms is refused; a put that asks for
        # none gets the bucket's default (SSE-KMS with the data key), so writers such as
        # `synthdata cache push` need not know the key
        Sid       = "DenyPutWithoutKms"
        Effect    = "Deny"
        Principal = local.everyone
        Action    = "s3:PutObject"
        Resource  = "${local.arn[each.key]}/*"
        Condition = { StringNotEqualsIfExists = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
      },
      {
        # a put that names another key is refused
        Sid       = "DenyPutWithAnotherKey"
        Effect    = "Deny"
        Principal = local.everyone
        Action    = "s3:PutObject"
        Resource  = "${local.arn[each.key]}/*"
        Condition = { StringNotEqualsIfExists = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = var.data_key_arn } }
      },
      {
        # aws:kms without a key id means the AWS managed aws/s3 key: refused as well
        Sid       = "DenyPutWithTheManagedKey"
        Effect    = "Deny"
        Principal = local.everyone
        Action    = "s3:PutObject"
        Resource  = "${local.arn[each.key]}/*"
        Condition = {
          StringEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" }
          Null         = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "true" }
        }
      },
    ]
  })

  # a public access block being written at the same time makes S3 refuse the policy
  depends_on = [aws_s3_bucket_public_access_block.protected]
}

resource "aws_s3_bucket_logging" "protected" {
  for_each = aws_s3_bucket.protected

  bucket        = each.value.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = local.log_prefix[each.key]

  # S3 checks that the target grants log delivery (its bucket policy, ACLs being off)
  depends_on = [aws_s3_bucket_policy.logs, aws_s3_bucket_ownership_controls.logs]
}

# Datasets expire (current and replaced versions) after expiration_days. The current
# templates are Terraform's and never expire; replaced ones do.
resource "aws_s3_bucket_lifecycle_configuration" "protected" {
  for_each = aws_s3_bucket.protected

  bucket = each.value.id

  rule {
    id     = each.key == "datasets" ? "expire-datasets" : "expire-replaced-templates"
    status = "Enabled"
    filter {}

    dynamic "expiration" {
      for_each = each.key == "datasets" ? [var.expiration_days] : []
      content {
        days = expiration.value
      }
    }
    noncurrent_version_expiration {
      noncurrent_days = var.expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # rules act on versions: versioning must be on first
  depends_on = [aws_s3_bucket_versioning.protected]
}

# A changed file has a new source_hash, so Terraform uploads it again (an ETag cannot tell:
# under SSE-KMS it is not the file's MD5).
resource "aws_s3_object" "templates" {
  for_each = var.template_files

  bucket                 = aws_s3_bucket.protected["templates"].id
  key                    = each.key
  source                 = each.value
  source_hash            = filebase64sha256(each.value)
  content_type           = lookup(local.content_types, lower(reverse(split(".", each.value))[0]), "application/octet-stream")
  server_side_encryption = "aws:kms"
  kms_key_id             = var.data_key_arn
  bucket_key_enabled     = true

  depends_on = [
    aws_s3_bucket_policy.protected,
    aws_s3_bucket_server_side_encryption_configuration.protected,
  ]
}

# ---- access logs ------------------------------------------------------------------------

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_144:Access logs are not replicated: they are kept for audit in their own region for log_retention_days.
  #checkov:skip=CKV2_AWS_62:No consumer of log object events.
  #checkov:skip=CKV_AWS_18:This is the access-log target; logging it into itself would log its own log deliveries without end.
  #checkov:skip=CKV_AWS_145:S3 server access logging delivers only to buckets whose default encryption is SSE-S3 (AES256); SSE-KMS is not supported for a log target bucket.
  bucket        = local.log_bucket
  force_destroy = var.force_destroy
  tags          = { Domain = "infra" }

  lifecycle {
    precondition {
      condition     = length(local.log_bucket) <= 63
      error_message = "bucket name ${local.log_bucket} is longer than S3's 63 characters: shorten project."
    }
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: log delivery is granted by the bucket policy, not by the log-delivery group's ACL
resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [local.deny_insecure_transport["logs"]],
      [
        # each bucket delivers its logs under its own prefix only
        for purpose, bucket in local.protected : {
          Sid       = "ServerAccessLogsOf${title(purpose)}"
          Effect    = "Allow"
          Principal = { Service = "logging.s3.amazonaws.com" }
          Action    = "s3:PutObject"
          Resource  = "${local.log_arn}/${local.log_prefix[purpose]}*"
          Condition = {
            ArnLike      = { "aws:SourceArn" = local.arn[purpose] }
            StringEquals = { "aws:SourceAccount" = var.account_id }
          }
        }
      ],
    )
  })

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {}

    expiration {
      days = var.log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}
