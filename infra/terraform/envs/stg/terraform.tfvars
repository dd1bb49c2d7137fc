# stg: the architecture review's row for this environment (docs/infra.md#environments)
environment    = "stg"
region         = "us-east-1"
replica_region = "us-west-2"

owner               = "data-platform"
cost_center         = "engineering"
data_classification = "internal"
compliance          = "GDPR HIPAA PCI-DSS SOC2"

memory_mb               = 1536
reserved_concurrency    = 10
search_standby_replicas = true
search_capacity_ocu     = 4
data_retention_days     = 365
log_retention_days      = 90

# backups: daily
daily_backups          = true
point_in_time_recovery = false
deletion_protection    = false
cross_region_backup    = false

# the knowledge base in every environment (the review sizes it per environment); the agent
# only where the account still has Bedrock Agents Classic: set it to true there
enable_knowledge_base = true
enable_agent          = false
