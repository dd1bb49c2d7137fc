# dev: the architecture review's row for this environment (docs/infra.md#environments)
environment    = "dev"
region         = "us-east-1"
replica_region = "us-west-2"

owner               = "data-platform"
cost_center         = "engineering"
data_classification = "internal"
compliance          = "GDPR HIPAA PCI-DSS SOC2"

memory_mb               = 1024
reserved_concurrency    = 5
search_standby_replicas = false
search_capacity_ocu     = 2
data_retention_days     = 90
log_retention_days      = 30

# backups: none
daily_backups          = false
point_in_time_recovery = false
deletion_protection    = false
cross_region_backup    = false

# the knowledge base in every environment (the review sizes it per environment); the agent
# only where the account still has Bedrock Agents Classic: set it to true there
enable_knowledge_base = true
enable_agent          = false
