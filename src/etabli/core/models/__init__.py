from etabli.core.models.ailog import AIDecision, Override
from etabli.core.models.alerts import Alert, Severity
from etabli.core.models.audit import AuditAction, AuditEntry
from etabli.core.models.integration import ApiToken, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from etabli.core.models.jobs import Job, JobStatus
from etabli.core.models.llm import LLMSettings, LLMUsage, ProviderChoice
from etabli.core.models.ledger import TimeSaved, UseCaseCost
from etabli.core.models.review import AutoRule, ReviewItem, ReviewStatus
from etabli.core.models.tenancy import (
    Company,
    CompanyQuerySet,
    CompanyScopedModel,
    Membership,
    Role,
    User,
    VatRegime,
)

__all__ = [
    "AIDecision", "Alert", "ApiToken", "AuditAction", "AuditEntry", "AutoRule", "Company", "CompanyQuerySet",
    "CompanyScopedModel", "DeliveryStatus", "Job", "JobStatus", "LLMSettings", "LLMUsage", "ProviderChoice", "Membership", "Override", "ReviewItem",
    "ReviewStatus", "Role", "Severity", "TimeSaved", "UseCaseCost", "User", "VatRegime", "WebhookDelivery",
    "WebhookEndpoint",
]
