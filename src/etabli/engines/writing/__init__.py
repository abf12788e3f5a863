"""Writing assistant engine (guide ch. 4.3 and 6.1): social posts, product descriptions, e-mail triage,
reply drafts and thread summaries, job ads and blog outlines — in French, in the company's voice.

Every feature has two paths behind one function:
- the **template path** (``engine=None``, or an ``LLMEngine`` on the template provider): a structured,
  deterministic French text filled from the inputs only — useful on its own, never a placeholder;
- the **model path** (an ``LLMEngine`` with a local or EU model): a French prompt carrying the facts,
  the model's draft checked against those facts by the llm engine (numbers, prices, dates, names), with
  the template as its fallback.

Each result carries ``generated_by_ai``, its label ("Brouillon généré par IA" or "… par modèle de texte
(sans IA)") and French warnings; everything is a draft until a person approves it (AI Act art. 50).
Bad input raises ``WritingError`` (a ``ValueError``) with a French message.

Example::

    import datetime as dt
    from etabli.engines.llm import Voice
    from etabli.engines.writing import CompanyProfile, Offer, write_posts

    company = CompanyProfile(name="Menuiserie Martin", trade="menuiserie", city="Lyon",
                             offer=Offer("Pose de parquet", price="39", end=dt.date(2026, 11, 30)))
    result = write_posts(company, ["conseil", "témoignage", "offre"], networks=["facebook"],
                         voice=Voice(address="vous", signature="L'équipe Martin"))
    for post in result.posts:
        print(post.suggested_slot, post.label, post.text)
"""

from etabli.engines.llm.guard import Voice
from etabli.engines.writing._compose import Draft
from etabli.engines.writing.briefs import (
    BlogBrief,
    BlogOutline,
    JobAd,
    JobBrief,
    OutlineSection,
    discrimination_warnings,
    outline_blog_post,
    parse_blog_brief,
    parse_job_brief,
    write_job_ad,
)
from etabli.engines.writing.dates import DateMention, find_dates
from etabli.engines.writing.errors import WritingError
from etabli.engines.writing.mail import (
    INTENTS,
    LABEL_DEFINITIONS,
    LABELS,
    LABELS_FR,
    MAX_EMAIL_CHARS,
    Action,
    EmailInput,
    ParsedEmail,
    RepliesResult,
    ReplyDraft,
    RuleTriager,
    ThreadMessage,
    ThreadSummary,
    TriageResult,
    detect_intent,
    draft_replies,
    parse_email,
    split_thread,
    summarize_thread,
    triage_email,
    triage_many,
)
from etabli.engines.writing.posts import (
    NETWORKS,
    THEMES,
    CompanyProfile,
    Event,
    Offer,
    PostsResult,
    SocialPost,
    Testimonial,
    write_posts,
)
from etabli.engines.writing.products import (
    ProductDescription,
    ProductTable,
    describe_products,
    read_products_csv,
    write_products_csv,
)

__all__ = [
    "INTENTS", "LABELS", "LABELS_FR", "LABEL_DEFINITIONS", "MAX_EMAIL_CHARS", "NETWORKS", "THEMES",
    "Action", "BlogBrief", "BlogOutline", "CompanyProfile", "DateMention", "Draft", "EmailInput", "Event",
    "JobAd", "JobBrief", "Offer", "OutlineSection", "ParsedEmail", "PostsResult", "ProductDescription",
    "ProductTable", "RepliesResult", "ReplyDraft", "RuleTriager", "SocialPost", "Testimonial", "ThreadMessage",
    "ThreadSummary", "TriageResult", "Voice", "WritingError",
    "describe_products", "detect_intent", "discrimination_warnings", "draft_replies", "find_dates",
    "outline_blog_post", "parse_blog_brief", "parse_email", "parse_job_brief", "read_products_csv",
    "split_thread", "summarize_thread", "triage_email", "triage_many", "write_job_ad", "write_posts",
    "write_products_csv",
]
