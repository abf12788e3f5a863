"""Names shared by the assistant's modules: review kinds, use cases and time-saved actions (registered in
registrations.py)."""

HANDOVER_KIND = "assistant.handover"
SUGGESTION_KIND = "assistant.faq_suggestion"
USE_CASE_CUSTOMERS = "assistant.clients"
USE_CASE_TEAM = "assistant.interne"
ACTION_CUSTOMER_ANSWER = "assistant.customer_answer"
ACTION_EMPLOYEE_ANSWER = "assistant.employee_answer"
ACTION_STATUS_LOOKUP = "assistant.status_lookup"
ACTIONS = (ACTION_CUSTOMER_ANSWER, ACTION_EMPLOYEE_ANSWER, ACTION_STATUS_LOOKUP)
