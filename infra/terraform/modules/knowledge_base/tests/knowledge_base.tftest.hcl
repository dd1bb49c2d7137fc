# Offline: the provider is mocked, so these check what the module asks AWS to create.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_opensearchserverless_collection" {
    override_during = plan
    defaults = {
      arn = "arn:aws:aoss:eu-west-1:123456789012:collection/abcdef123456"
    }
  }
  mock_resource "aws_iam_role" {
    override_during = plan
    defaults = {
      arn = "arn:aws:iam::123456789012:role/synthdata-schema-role-dev-kb"
    }
  }
}

variables {
  environment          = "dev"
  account_id           = "123456789012"
  templates_bucket_arn = "arn:aws:s3:::synthdata-schema-s3-dev-templates-123456789012"
  agent_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  templates_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000"
  embedding_model_arn  = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0"
  search_capacity_ocu  = 2
}

run "names_follow_the_convention" {
  command = plan

  assert {
    condition = alltrue([
      for name in [
        aws_bedrockagent_knowledge_base.templates.name,
        aws_bedrockagent_data_source.templates.name,
        aws_iam_role.kb.name,
        aws_iam_role_policy.kb.name,
        aws_opensearchserverless_collection.kb.name,
      ] : can(regex("^synthdata-schema-(kb|role|policy|aoss)-dev-[a-z0-9]+$", name))
    ])
    error_message = "a name breaks {project}-{domain}-{type}-{environment}-{description}"
  }
  assert {
    condition = alltrue([
      for name in [
        aws_opensearchserverless_collection.kb.name,
        aws_opensearchserverless_security_policy.encryption.name,
        aws_opensearchserverless_security_policy.network.name,
        aws_opensearchserverless_access_policy.data.name,
      ] : length(name) >= 3 && length(name) <= 32 && lower(name) == name
    ])
    error_message = "OpenSearch Serverless names are 3-32 lowercase characters"
  }
}

run "prod_names_fit_opensearch_serverless_limits" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = aws_opensearchserverless_collection.kb.name == "synthdata-schema-aoss-prod-kb"
    error_message = "collection name: ${aws_opensearchserverless_collection.kb.name}"
  }
}

run "long_project_name_is_refused_before_aws_refuses_it" {
  command = plan

  variables {
    project = "synthdatasandbox"
  }

  expect_failures = [var.project]
}

run "collection_is_a_vector_store_under_the_customer_key" {
  command = plan

  assert {
    condition     = aws_opensearchserverless_collection.kb.type == "VECTORSEARCH"
    error_message = "the collection must be a vector search collection"
  }
  assert {
    condition = jsondecode(aws_opensearchserverless_security_policy.encryption.policy) == {
      Rules       = [{ ResourceType = "collection", Resource = ["collection/synthdata-schema-aoss-dev-kb"] }]
      AWSOwnedKey = false
      KmsARN      = var.agent_key_arn
    }
    error_message = "the encryption policy must name the collection and the customer-managed key"
  }
}

run "network_is_private_by_default" {
  command = plan

  assert {
    condition     = jsondecode(aws_opensearchserverless_security_policy.network.policy)[0].AllowFromPublic == false
    error_message = "the collection must not be public unless asked"
  }
  assert {
    condition     = jsondecode(aws_opensearchserverless_security_policy.network.policy)[0].SourceServices == ["bedrock.amazonaws.com"]
    error_message = "Bedrock must reach the collection privately"
  }
}

run "public_access_only_when_asked" {
  command = plan

  variables {
    allow_public_access = true
  }

  assert {
    condition     = jsondecode(aws_opensearchserverless_security_policy.network.policy)[0].AllowFromPublic == true
    error_message = "allow_public_access opens the endpoint"
  }
  assert {
    condition     = !contains(keys(jsondecode(aws_opensearchserverless_security_policy.network.policy)[0]), "SourceServices")
    error_message = "a public rule takes no source services"
  }
}

run "data_access_is_for_the_kb_role_only" {
  command = plan

  assert {
    condition     = [for rule in jsondecode(aws_opensearchserverless_access_policy.data.policy) : rule.Principal] == [["arn:aws:iam::123456789012:role/synthdata-schema-role-dev-kb"]]
    error_message = "only the knowledge base's role may use the collection"
  }
  assert {
    condition = alltrue(flatten([
      for entry in jsondecode(aws_opensearchserverless_access_policy.data.policy) : [
        for rule in entry.Rules : [
          for permission in rule.Permission : !strcontains(permission, "*")
        ]
      ]
    ]))
    error_message = "every data-access permission must be named"
  }
  assert {
    condition = alltrue(flatten([
      for entry in jsondecode(aws_opensearchserverless_access_policy.data.policy) : [
        for rule in entry.Rules : [
          for resource in rule.Resource : !strcontains(resource, "*")
        ]
      ]
    ]))
    error_message = "the data-access policy must name the collection and the index"
  }
}

run "index_admins_are_added_when_given" {
  command = plan

  variables {
    index_admin_arns = ["arn:aws:iam::123456789012:role/deployer"]
  }

  assert {
    condition     = jsondecode(aws_opensearchserverless_access_policy.data.policy)[1].Principal == ["arn:aws:iam::123456789012:role/deployer"]
    error_message = "the index administrators get their own rule"
  }
  assert {
    condition     = contains(jsondecode(aws_opensearchserverless_access_policy.data.policy)[1].Rules[1].Permission, "aoss:CreateIndex")
    error_message = "administrators create the index"
  }
}

run "kb_role_trusts_only_this_accounts_knowledge_bases" {
  command = plan

  assert {
    condition     = jsondecode(aws_iam_role.kb.assume_role_policy).Statement[0].Principal == { Service = "bedrock.amazonaws.com" }
    error_message = "the role must trust bedrock.amazonaws.com only"
  }
  assert {
    condition     = jsondecode(aws_iam_role.kb.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "aws:SourceAccount condition missing"
  }
  assert {
    condition     = jsondecode(aws_iam_role.kb.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:bedrock:eu-west-1:123456789012:knowledge-base/*"
    error_message = "aws:SourceArn condition must be the account's knowledge bases"
  }
}

run "kb_role_policy_is_scoped" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(aws_iam_role_policy.kb.policy).Statement : [
        for action in statement.Action : !strcontains(action, "*")
      ]
    ]))
    error_message = "every action must be named"
  }
  assert {
    condition = {
      for statement in jsondecode(aws_iam_role_policy.kb.policy).Statement :
      join(",", statement.Action) => statement.Resource
      } == {
      "s3:ListBucket"                   = [var.templates_bucket_arn]
      "s3:GetObject"                    = ["${var.templates_bucket_arn}/*"]
      "aoss:APIAccessAll"               = ["arn:aws:aoss:eu-west-1:123456789012:collection/abcdef123456"]
      "bedrock:InvokeModel"             = [var.embedding_model_arn]
      "kms:Decrypt,kms:GenerateDataKey" = [var.agent_key_arn]
      "kms:Decrypt"                     = [var.templates_key_arn]
    }
    error_message = "each action must be granted on its one resource only"
  }
}

run "kb_uses_the_collection_and_the_embedding_model" {
  command = plan

  assert {
    condition     = aws_bedrockagent_knowledge_base.templates.storage_configuration[0].type == "OPENSEARCH_SERVERLESS"
    error_message = "vector store"
  }
  assert {
    condition = aws_bedrockagent_knowledge_base.templates.storage_configuration[0].opensearch_serverless_configuration[0].field_mapping[0] == {
      vector_field   = "bedrock-knowledge-base-default-vector"
      text_field     = "AMAZON_BEDROCK_TEXT_CHUNK"
      metadata_field = "AMAZON_BEDROCK_METADATA"
    }
    error_message = "field mappings"
  }
  assert {
    condition     = aws_bedrockagent_knowledge_base.templates.knowledge_base_configuration[0].vector_knowledge_base_configuration[0].embedding_model_arn == var.embedding_model_arn
    error_message = "embedding model"
  }
  assert {
    condition     = output.vector_index.mapping.mappings.properties["bedrock-knowledge-base-default-vector"].dimension == 1024
    error_message = "the index's vector field must match the embedding length"
  }
}

run "data_source_reads_the_templates_bucket_under_the_key" {
  command = plan

  assert {
    condition     = aws_bedrockagent_data_source.templates.data_source_configuration[0].s3_configuration[0].bucket_arn == var.templates_bucket_arn
    error_message = "the data source must be the templates bucket"
  }
  assert {
    condition     = aws_bedrockagent_data_source.templates.server_side_encryption_configuration[0].kms_key_arn == var.agent_key_arn
    error_message = "ingestion data must be encrypted with the customer-managed key"
  }
}

run "capacity_is_reported_for_the_account_settings" {
  command = plan

  variables {
    search_capacity_ocu = 8
  }

  assert {
    condition     = output.capacity_limits == { max_indexing_capacity_in_ocu = 8, max_search_capacity_in_ocu = 8 }
    error_message = "capacity limits"
  }
}
