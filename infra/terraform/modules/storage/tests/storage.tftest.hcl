# Offline: a mocked AWS provider, plan only. Policies are jsonencode()d from bucket names, so
# they are known at plan time and decoded here.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  environment     = "dev"
  account_id      = "123456789012"
  data_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  expiration_days = 90
  template_files = {
    "templates/customer.json" = "tests/fixtures/customer.json"
    "templates/README.md"     = "tests/fixtures/README.md"
  }
}

run "names_follow_the_convention" {
  command = plan

  assert {
    condition     = aws_s3_bucket.protected["datasets"].bucket == "synthdata-datagen-s3-dev-datasets-123456789012"
    error_message = "datasets bucket: <project>-datagen-s3-<env>-datasets-<account>"
  }
  assert {
    condition     = aws_s3_bucket.protected["templates"].bucket == "synthdata-schema-s3-dev-templates-123456789012"
    error_message = "templates bucket: <project>-schema-s3-<env>-templates-<account>"
  }
  assert {
    condition     = aws_s3_bucket.logs.bucket == "synthdata-infra-s3-dev-logs-123456789012"
    error_message = "log bucket: <project>-infra-s3-<env>-logs-<account>"
  }
  assert {
    condition = [aws_s3_bucket.protected["datasets"].tags.Domain, aws_s3_bucket.protected["templates"].tags.Domain, aws_s3_bucket.logs.tags.Domain] == [
      "datagen", "schema", "infra"
    ]
    error_message = "each bucket carries its domain tag"
  }
  assert {
    condition     = alltrue([for b in aws_s3_bucket.protected : !b.force_destroy]) && !aws_s3_bucket.logs.force_destroy
    error_message = "buckets are not force-destroyed unless asked"
  }
}

run "longest_names_fit_s3" {
  command = plan

  variables {
    project     = "abcdefghijklmnop"
    environment = "prod"
  }

  assert {
    condition     = alltrue([for b in concat(values(aws_s3_bucket.protected), [aws_s3_bucket.logs]) : length(b.bucket) <= 63])
    error_message = "with the longest project and environment, bucket names stay within 63 characters"
  }
}

run "encrypted_with_the_data_key" {
  command = plan

  assert {
    condition = alltrue([
      for c in aws_s3_bucket_server_side_encryption_configuration.protected : alltrue([
        for r in c.rule : r.bucket_key_enabled && one(r.apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && one(r.apply_server_side_encryption_by_default).kms_master_key_id == var.data_key_arn
      ])
    ])
    error_message = "datasets and templates: SSE-KMS with the data key and a bucket key"
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.logs.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "the log bucket is SSE-S3, the one encryption S3 access-log delivery supports"
  }
  assert {
    condition     = alltrue([for v in concat(values(aws_s3_bucket_versioning.protected), [aws_s3_bucket_versioning.logs]) : one(v.versioning_configuration).status == "Enabled"])
    error_message = "every bucket is versioned"
  }
}

run "bucket_policies_deny_plain_http_and_other_encryption" {
  command = plan

  # HCL evaluates both sides of && : each check first picks its statements with a for's if.
  assert {
    condition = alltrue([
      for purpose, p in aws_s3_bucket_policy.protected : [
        for s in jsondecode(p.policy).Statement : [s.Effect, s.Principal, s.Action, s.Resource]
        if try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
        ] == [[
          "Deny", { AWS = "*" }, "s3:*",
          ["arn:aws:s3:::${aws_s3_bucket.protected[purpose].bucket}", "arn:aws:s3:::${aws_s3_bucket.protected[purpose].bucket}/*"],
      ]]
    ])
    error_message = "datasets and templates deny every request without TLS, on the bucket and its objects"
  }
  assert {
    condition = [
      for s in jsondecode(aws_s3_bucket_policy.logs.policy).Statement : [s.Effect, s.Action]
      if try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
    ] == [["Deny", "s3:*"]]
    error_message = "the log bucket denies every request without TLS"
  }
  assert {
    condition = alltrue([
      for purpose, p in aws_s3_bucket_policy.protected : [
        for s in jsondecode(p.policy).Statement : [s.Effect, s.Principal, s.Action, s.Resource]
        if try(s.Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption"], "") == "aws:kms"
      ] == [["Deny", { AWS = "*" }, "s3:PutObject", "arn:aws:s3:::${aws_s3_bucket.protected[purpose].bucket}/*"]]
    ])
    error_message = "a put asking for another encryption than aws:kms is denied (one without the header gets the default key)"
  }
  assert {
    condition = alltrue([
      for purpose, p in aws_s3_bucket_policy.protected : [
        for s in jsondecode(p.policy).Statement : [s.Effect, s.Principal, s.Action, s.Resource]
        if try(s.Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption-aws-kms-key-id"], "") == var.data_key_arn
      ] == [["Deny", { AWS = "*" }, "s3:PutObject", "arn:aws:s3:::${aws_s3_bucket.protected[purpose].bucket}/*"]]
    ])
    error_message = "a put with another KMS key is denied"
  }
  assert {
    condition = alltrue([
      for purpose, p in aws_s3_bucket_policy.protected : [
        for s in jsondecode(p.policy).Statement : [s.Effect, s.Action]
        if try(s.Condition.StringEquals["s3:x-amz-server-side-encryption"], "") == "aws:kms" && try(s.Condition.Null["s3:x-amz-server-side-encryption-aws-kms-key-id"], "") == "true"
      ] == [["Deny", "s3:PutObject"]]
    ])
    error_message = "a put asking for aws:kms without a key (the AWS managed key) is denied"
  }
  assert {
    condition     = alltrue([for p in aws_s3_bucket_policy.protected : alltrue([for s in jsondecode(p.policy).Statement : s.Effect == "Deny"])])
    error_message = "the datasets and templates policies only deny: access is granted by IAM roles"
  }
}

run "no_wildcard_allows" {
  command = plan

  # Wildcard actions appear only in Deny statements (the TLS guard covers all of S3).
  assert {
    condition = alltrue(flatten([
      for policy in concat([for p in aws_s3_bucket_policy.protected : p.policy], [aws_s3_bucket_policy.logs.policy]) : [
        for s in jsondecode(policy).Statement : [
          for action in flatten([s.Action]) : s.Effect == "Deny" ? true : action != "*" && !endswith(action, ":*")
        ]
      ]
    ]))
    error_message = "no Allow statement may have * or s3:* as an action"
  }
  assert {
    condition = alltrue(flatten([
      for policy in concat([for p in aws_s3_bucket_policy.protected : p.policy], [aws_s3_bucket_policy.logs.policy]) : [
        for s in jsondecode(policy).Statement : s.Effect == "Deny" ? true : !contains(["*", { AWS = "*" }], s.Principal) && !contains(flatten([s.Resource]), "*")
      ]
    ]))
    error_message = "no Allow statement is for every principal or on Resource *"
  }
  assert {
    condition = [
      for s in jsondecode(aws_s3_bucket_policy.logs.policy).Statement : [s.Principal, s.Action, s.Resource, s.Condition.ArnLike["aws:SourceArn"], s.Condition.StringEquals["aws:SourceAccount"]]
      if s.Effect == "Allow"
      ] == [
      [
        { Service = "logging.s3.amazonaws.com" }, "s3:PutObject",
        "arn:aws:s3:::synthdata-infra-s3-dev-logs-123456789012/s3/synthdata-datagen-s3-dev-datasets-123456789012/*",
        "arn:aws:s3:::synthdata-datagen-s3-dev-datasets-123456789012", "123456789012",
      ],
      [
        { Service = "logging.s3.amazonaws.com" }, "s3:PutObject",
        "arn:aws:s3:::synthdata-infra-s3-dev-logs-123456789012/s3/synthdata-schema-s3-dev-templates-123456789012/*",
        "arn:aws:s3:::synthdata-schema-s3-dev-templates-123456789012", "123456789012",
      ],
    ]
    error_message = "only S3 log delivery may write to the log bucket, each source bucket under its own prefix"
  }
}

run "public_access_blocked_and_acls_off" {
  command = plan

  assert {
    condition = alltrue([
      for b in concat(values(aws_s3_bucket_public_access_block.protected), [aws_s3_bucket_public_access_block.logs]) :
      b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets
    ])
    error_message = "every bucket blocks public access"
  }
  assert {
    condition = alltrue([
      for o in concat(values(aws_s3_bucket_ownership_controls.protected), [aws_s3_bucket_ownership_controls.logs]) :
      one(o.rule).object_ownership == "BucketOwnerEnforced"
    ])
    error_message = "ACLs are disabled on every bucket"
  }
}

run "lifecycle_follows_expiration_days" {
  command = plan

  variables {
    environment     = "prod"
    expiration_days = 730
  }

  assert {
    condition     = one(one(aws_s3_bucket_lifecycle_configuration.protected["datasets"].rule).expiration).days == 730
    error_message = "datasets expire after expiration_days"
  }
  assert {
    condition     = one(one(aws_s3_bucket_lifecycle_configuration.protected["datasets"].rule).noncurrent_version_expiration).noncurrent_days == 730
    error_message = "noncurrent dataset versions expire after expiration_days"
  }
  assert {
    condition = alltrue([
      for l in [aws_s3_bucket_lifecycle_configuration.protected["datasets"], aws_s3_bucket_lifecycle_configuration.protected["templates"], aws_s3_bucket_lifecycle_configuration.logs] :
      one(one(l.rule).abort_incomplete_multipart_upload).days_after_initiation == 1
    ])
    error_message = "every bucket aborts incomplete multipart uploads"
  }
  assert {
    condition     = length(one(aws_s3_bucket_lifecycle_configuration.protected["templates"].rule).expiration) == 0
    error_message = "current templates never expire"
  }
  assert {
    condition     = one(one(aws_s3_bucket_lifecycle_configuration.logs.rule).expiration).days == 365
    error_message = "logs expire after log_retention_days"
  }
}

run "access_logs_go_to_the_log_bucket" {
  command = plan

  override_resource {
    target          = aws_s3_bucket.logs
    override_during = plan
    values          = { id = "synthdata-infra-s3-dev-logs-123456789012" }
  }

  assert {
    condition     = alltrue([for l in aws_s3_bucket_logging.protected : l.target_bucket == "synthdata-infra-s3-dev-logs-123456789012"])
    error_message = "datasets and templates log to the log bucket"
  }
  assert {
    condition     = { for k, l in aws_s3_bucket_logging.protected : k => l.target_prefix } == { datasets = "s3/synthdata-datagen-s3-dev-datasets-123456789012/", templates = "s3/synthdata-schema-s3-dev-templates-123456789012/" }
    error_message = "each bucket logs under s3/<its name>/, the prefix the log bucket's policy lets it write"
  }
}

run "templates_uploaded_encrypted_and_reuploaded_on_change" {
  command = plan

  assert {
    condition     = toset(keys(aws_s3_object.templates)) == toset(["templates/customer.json", "templates/README.md"])
    error_message = "one object per entry of template_files"
  }
  assert {
    condition     = aws_s3_object.templates["templates/customer.json"].source_hash == filebase64sha256("tests/fixtures/customer.json")
    error_message = "the object's source_hash is the file's sha256, so a changed file is uploaded again"
  }
  assert {
    condition     = alltrue([for o in aws_s3_object.templates : o.server_side_encryption == "aws:kms" && o.kms_key_id == var.data_key_arn])
    error_message = "templates are uploaded with SSE-KMS and the data key (as the bucket policy demands)"
  }
  assert {
    condition     = aws_s3_object.templates["templates/customer.json"].content_type == "application/json" && aws_s3_object.templates["templates/README.md"].content_type == "text/markdown"
    error_message = "content types come from the file extension"
  }
}

run "bad_inputs_are_refused" {
  command = plan

  variables {
    account_id      = "12345"
    expiration_days = 0
  }

  expect_failures = [var.account_id, var.expiration_days]
}
