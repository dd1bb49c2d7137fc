# prod: the architecture review's row for this environment (docs/infra.md#environments)
environment    = "prod"
region         = "us-east-1"
replica_region = "us-west-2"

owner               = "data-platform"
cost_center         = "engineering"
data_classification = "internal"
compliance          = "GDPR HIPAA PCI-DSS SOC2"

memory_mb               = 2048
reserved_concurrency    = 50
search_standby_replicas = true
search_capacity_ocu     = 8
data_retention_days     = 730
log_retention_days      = 365

# backups: daily, point-in-time recovery, copies in replica_region
daily_backups          = true
point_in_time_recovery = true
deletion_protection    = true
cross_region_backup    = true

# the knowledge base in every environment (the review sizes it per environment); the agent
# only where the account still has Bedrock Agents Classic: set it to true there
enable_knowledge_base = true
enable_agent          = false
