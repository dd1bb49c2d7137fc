# The template library's knowledge base: an OpenSearch Serverless vector collection with its
# encryption, network and data-access policies, the Bedrock knowledge base on it, the S3 data
# source on the templates bucket, and the knowledge base's service role.
data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  # OpenSearch Serverless names: 3-32 characters, lowercase letters, digits and hyphens. The
  # three security policies live in one namespace per type, so they share the collection's name.
  collection_name  = format(local.name.schema, "aoss", "kb")
  kb_name          = format(local.name.schema, "kb", "templates")
  data_source_name = format(local.name.schema, "kb", "s3templates")
  role_name        = format(local.name.schema, "role", "kb")
  policy_name      = format(local.name.schema, "policy", "kb")

  knowledge_bases_arn = "arn:${local.partition}:bedrock:${local.region}:${var.account_id}:knowledge-base/*"

  # Bedrock's own field names, so the console and the retrieval API show them as usual.
  vector_field   = "bedrock-knowledge-base-default-vector"
  text_field     = "AMAZON_BEDROCK_TEXT_CHUNK"
  metadata_field = "AMAZON_BEDROCK_METADATA"

  # A Bedrock knowledge base on OpenSearch Serverless needs a faiss HNSW knn_vector field.
  index_mapping = {
    settings = { index = { knn = true, "knn.algo_param.ef_search" = 512 } }
    mappings = {
      properties = {
        (local.vector_field) = {
          type      = "knn_vector"
          dimension = var.embedding_dimensions
          method = {
            name       = "hnsw"
            engine     = "faiss"
            space_type = "l2"
            parameters = { ef_construction = 512, m = 16 }
          }
        }
        (local.text_field)     = { type = "text", index = true }
        (local.metadata_field) = { type = "text", index = false }
      }
    }
  }

  collection_rule = {
    ResourceType = "collection"
    Resource     = ["collection/${local.collection_name}"]
  }
  index_resource = "index/${local.collection_name}/${var.vector_index_name}"

  # Off: AWS services that the policy names (Bedrock) and the given VPC endpoints only. A
  # public rule may name no sources, so the unset keys are dropped, not sent as null.
  network_access = {
    for key, value in {
      AllowFromPublic = var.allow_public_access
      SourceServices  = var.allow_public_access ? null : ["bedrock.amazonaws.com"]
      SourceVPCEs     = var.allow_public_access || length(var.vpc_endpoint_ids) == 0 ? null : var.vpc_endpoint_ids
    } : key => value if value != null
  }
}

resource "aws_opensearchserverless_security_policy" "encryption" {
  name        = local.collection_name
  type        = "encryption"
  description = "The knowledge base's collection is encrypted with the agent key."
  policy = jsonencode({
    Rules       = [local.collection_rule]
    AWSOwnedKey = false
    KmsARN      = var.agent_key_arn
  })
}

resource "aws_opensearchserverless_security_policy" "network" {
  name        = local.collection_name
  type        = "network"
  description = "Who reaches the knowledge base's collection endpoint."
  policy = jsonencode([merge(
    {
      Description = "The knowledge base's collection"
      Rules       = [local.collection_rule]
    },
    local.network_access,
  )])
}

resource "aws_opensearchserverless_access_policy" "data" {
  name        = local.collection_name
  type        = "data"
  description = "The knowledge base's role reads and writes its vector index; index administrators create it."
  policy = jsonencode(concat(
    [{
      Description = "The knowledge base"
      Principal   = [aws_iam_role.kb.arn]
      Rules = [
        merge(local.collection_rule, { Permission = ["aoss:DescribeCollectionItems"] }),
        {
          ResourceType = "index"
          Resource     = [local.index_resource]
          Permission   = ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"]
        },
      ]
    }],
    length(var.index_admin_arns) == 0 ? [] : [{
      Description = "Index administrators"
      Principal   = var.index_admin_arns
      Rules = [
        merge(local.collection_rule, { Permission = ["aoss:DescribeCollectionItems"] }),
        {
          ResourceType = "index"
          Resource     = [local.index_resource]
          Permission   = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex"]
        },
      ]
    }],
  ))
}

resource "aws_opensearchserverless_collection" "kb" {
  name             = local.collection_name
  type             = "VECTORSEARCH"
  description      = "Vectors of the template library, for the knowledge base."
  standby_replicas = var.standby_replicas ? "ENABLED" : "DISABLED"
  tags             = { Domain = "schema" }

  # A collection is created only under an encryption policy that matches its name.
  depends_on = [aws_opensearchserverless_security_policy.encryption]
}

resource "aws_iam_role" "kb" {
  name = local.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "BedrockKnowledgeBasesOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
        ArnLike      = { "aws:SourceArn" = local.knowledge_bases_arn }
      }
    }]
  })
  tags = { Domain = "schema" }
}

resource "aws_iam_role_policy" "kb" {
  name = local.policy_name
  role = aws_iam_role.kb.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid       = "ListTheTemplates"
          Effect    = "Allow"
          Action    = ["s3:ListBucket"]
          Resource  = [var.templates_bucket_arn]
          Condition = { StringEquals = { "aws:ResourceAccount" = var.account_id } }
        },
        {
          Sid       = "ReadTheTemplates"
          Effect    = "Allow"
          Action    = ["s3:GetObject"]
          Resource  = ["${var.templates_bucket_arn}/*"]
          Condition = { StringEquals = { "aws:ResourceAccount" = var.account_id } }
        },
        {
          Sid      = "UseTheCollection"
          Effect   = "Allow"
          Action   = ["aoss:APIAccessAll"]
          Resource = [aws_opensearchserverless_collection.kb.arn]
        },
        {
          Sid      = "EmbedWithTheModel"
          Effect   = "Allow"
          Action   = ["bedrock:InvokeModel"]
          Resource = [var.embedding_model_arn]
        },
        {
          # the data source encrypts its transient ingestion data with this key
          Sid      = "IngestionKey"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [var.agent_key_arn]
        },
      ],
      var.templates_key_arn == null ? [] : [{
        Sid       = "DecryptTheTemplates"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.templates_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
      }],
    )
  })
}

resource "aws_bedrockagent_knowledge_base" "templates" {
  name        = local.kb_name
  description = "The synthdata template library: what each built-in template generates."
  role_arn    = aws_iam_role.kb.arn
  tags        = { Domain = "schema" }

  knowledge_base_configuration {
    type = "VECTOR"
    vector_knowledge_base_configuration {
      embedding_model_arn = var.embedding_model_arn
      embedding_model_configuration {
        bedrock_embedding_model_configuration {
          dimensions          = var.embedding_dimensions
          embedding_data_type = "FLOAT32"
        }
      }
    }
  }

  storage_configuration {
    type = "OPENSEARCH_SERVERLESS"
    opensearch_serverless_configuration {
      collection_arn    = aws_opensearchserverless_collection.kb.arn
      vector_index_name = var.vector_index_name
      field_mapping {
        vector_field   = local.vector_field
        text_field     = local.text_field
        metadata_field = local.metadata_field
      }
    }
  }

  # Bedrock checks the index through the role when the knowledge base is created.
  depends_on = [
    aws_iam_role_policy.kb,
    aws_opensearchserverless_access_policy.data,
    aws_opensearchserverless_security_policy.network,
  ]
}

resource "aws_bedrockagent_data_source" "templates" {
  name              = local.data_source_name
  description       = "The templates bucket: one object per template."
  knowledge_base_id = aws_bedrockagent_knowledge_base.templates.id

  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn              = var.templates_bucket_arn
      bucket_owner_account_id = var.account_id
    }
  }

  server_side_encryption_configuration {
    kms_key_arn = var.agent_key_arn
  }

  # A template is short and read whole: one chunk per object.
  vector_ingestion_configuration {
    chunking_configuration {
      chunking_strategy = "NONE"
    }
  }
}
