"""Billing pages: receivables dashboard, third parties, catalogue, quotes, invoices (with their Factur-X
PDF), payments, dunning settings and e-invoice import. Views parse and render; services decide."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from etabli.billing import selectors, services
from etabli.billing.errors import BillingError
from etabli.billing.forms import (
    AutoSendForm,
    CreditNoteForm,
    CreditTermsForm,
    DepositForm,
    ImportForm,
    InvoiceForm,
    IssueForm,
    PartnerForm,
    PaymentForm,
    ProductForm,
    QuoteForm,
    SendForm,
    SettingsForm,
    StepForm,
    apply_errors,
    line_formset,
    lines_from,
)
from etabli.billing.mentions import missing_mentions
from etabli.billing.models import (
    Direction,
    DocType,
    DunningStep,
    Invoice,
    InvoiceStatus,
    OperationCategory,
    Partner,
    PartnerKind,
    Product,
    Quote,
    QuoteStatus,
    Reminder,
)
from etabli.billing.rules import format_rate
from etabli.billing.status import effective_status, status_label
from etabli.common.formats import format_date, format_eur
from etabli.core.views.base import company_view, get_scoped_or_404, paginate, querystring_without_page


def _error(request: HttpRequest, error: BillingError) -> None:
    messages.error(request, error.message)


# --- Dashboard --------------------------------------------------------------------------------------------


@company_view("billing.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.receivables(request.company)
    buckets_chart = {
        "labels": [label for label, _, _ in data.buckets],
        "datasets": [
            {
                "label": "Montant restant dû (€)",
                "data": [float(amount) for _, amount, _ in data.buckets],
                "backgroundColor": ["#5b8c5a", "#e0b040", "#e08a30", "#d0602a", "#a83228"],
            }
        ],
    }
    weeks_chart = {
        "labels": [f"sem. du {format_date(week)[:5]}" for week, _ in data.weeks],
        "datasets": [
            {
                "label": "Encaissements attendus (€)",
                "data": [float(amount) for _, amount in data.weeks],
                "backgroundColor": "#7a4a1e",
            }
        ],
    }
    pending = Reminder.objects.for_company(request.company).filter(status="proposed").count()
    return render(
        request,
        "billing/dashboard.html",
        {
            "data": data,
            "buckets_chart": buckets_chart,
            "weeks_chart": weeks_chart,
            "pending_reminders": pending,
            "can_edit": request.membership.can("billing.edit"),
        },
    )


@company_view("billing.edit")
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    from etabli.core.services.jobs import start_job

    job = start_job(
        company=request.company,
        kind="billing.daily_pass",
        label="Facturation : statuts, risques, relances",
        user=request.user,
    )
    messages.success(request, "Recalcul lancé : statuts, alertes, scores de risque et relances du jour.")
    return redirect("core:job", job.pk)


# --- Third parties ---------------------------------------------------------------------------------------


@company_view("billing.view")
def partners(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    kind = kind if kind in PartnerKind.values else ""
    search = request.GET.get("q", "").strip()
    qs = selectors.partner_queryset(request.company, kind or None, search)
    return render(
        request,
        "billing/partners/list.html",
        {
            "page": paginate(request, qs),
            "kind": kind,
            "search": search,
            "qs": querystring_without_page(request),
            "kinds": PartnerKind.choices,
        },
    )


def _partner_values(form: PartnerForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@company_view("billing.edit")
def partner_create(request: HttpRequest) -> HttpResponse:
    initial = {
        "kind": request.GET.get("type") if request.GET.get("type") in PartnerKind.values else "customer",
        "payment_terms_days": selectors.billing_settings(request.company).default_payment_terms_days,
    }
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.create_partner(company=request.company, **_partner_values(form))
        except BillingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"« {partner.name} » enregistré.")
            return redirect("billing:partner_detail", partner.pk)
    return render(request, "billing/partners/form.html", {"form": form, "partner": None})


@company_view("billing.view", scoped_model=Partner)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_scoped_or_404(Partner, request, pk)
    form = PartnerForm(instance=partner)
    if request.method == "POST":
        if not request.membership.can("billing.edit"):
            messages.error(request, "Votre rôle ne permet pas de modifier les tiers.")
            return redirect("billing:partner_detail", partner.pk)
        form = PartnerForm(request.POST)
        if form.is_valid():
            try:
                services.update_partner(company=request.company, partner=partner, **_partner_values(form))
            except BillingError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Fiche enregistrée.")
                return redirect("billing:partner_detail", partner.pk)
    invoices = selectors.invoices(request.company, partner_id=partner.pk)[:30]
    totals = (
        Invoice.objects.for_company(request.company)
        .filter(partner=partner)
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(total=Sum("total_ttc"))
    )
    open_amount = sum(
        (i.amount_open for i in selectors.invoices(request.company, partner_id=partner.pk, status="open")),
        Decimal("0"),
    )
    return render(
        request,
        "billing/partners/detail.html",
        {
            "partner": partner,
            "form": form,
            "invoices": invoices,
            "total": totals["total"] or 0,
            "open_amount": open_amount,
            "credit_form": CreditTermsForm(),
            "today": selectors.today(),
        },
    )


@company_view("billing.view", scoped_model=Partner)
@require_POST
def partner_credit(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.risk import suggest_terms

    partner = get_scoped_or_404(Partner, request, pk)
    form = CreditTermsForm(request.POST)
    advice, error = None, None
    if form.is_valid():
        try:
            advice = suggest_terms(
                company=request.company,
                partner_id=partner.pk,
                amount=form.cleaned_data["amount"],
                requested_term_days=form.cleaned_data["requested_term_days"],
            )
        except BillingError as exc:
            error = exc.message
    template = "billing/partners/_credit_result.html" if request.htmx else "billing/partners/credit.html"
    return render(request, template, {"partner": partner, "form": form, "advice": advice, "error": error})


# --- Catalogue --------------------------------------------------------------------------------------------


def _product_values(form: ProductForm) -> dict:
    data = dict(form.cleaned_data)
    data["vat_rate"] = Decimal(data["vat_rate"])
    return data


@company_view("billing.view")
def products(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None, initial={"vat_rate": "20", "unit": "u"})
    if request.method == "POST":
        if not request.membership.can("billing.edit"):
            messages.error(request, "Votre rôle ne permet pas de modifier le catalogue.")
            return redirect("billing:products")
        if form.is_valid():
            from etabli.billing.services.catalogue import save_product

            try:
                product = save_product(company=request.company, product=None, **_product_values(form))
            except BillingError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Article {product.sku} ajouté.")
                return redirect("billing:products")
    return render(
        request,
        "billing/products/list.html",
        {
            "products": selectors.products(request.company),
            "form": form,
            "can_edit": request.membership.can("billing.edit"),
        },
    )


@company_view("billing.edit", scoped_model=Product)
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_scoped_or_404(Product, request, pk)
    initial = {"vat_rate": format(product.vat_rate.normalize(), "f")}
    form = ProductForm(
        request.POST or None, instance=product if request.method != "POST" else None, initial=initial
    )
    if request.method == "POST":
        form = ProductForm(request.POST)
        if form.is_valid():
            from etabli.billing.services.catalogue import save_product

            try:
                save_product(company=request.company, product=product, **_product_values(form))
            except BillingError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Article enregistré.")
                return redirect("billing:products")
    return render(request, "billing/products/form.html", {"form": form, "product": product})


# --- Quotes -----------------------------------------------------------------------------------------------


@company_view("billing.view")
def quotes(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    status = status if status in QuoteStatus.values else ""
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "billing/quotes/list.html",
        {
            "page": paginate(request, selectors.quotes(request.company, status, search)),
            "status": status,
            "search": search,
            "statuses": QuoteStatus.choices,
            "qs": querystring_without_page(request),
        },
    )


def products_json(company) -> dict:
    """Catalogue data for billing.js (fills a line when an item is chosen)."""
    return {
        str(p.pk): {
            "name": p.name,
            "unit": p.unit,
            "price": format(p.unit_price.normalize(), "f"),
            "vat": format(p.vat_rate.normalize(), "f"),
        }
        for p in selectors.products(company, active_only=True)
    }


def _quote_form_page(request, quote: Quote | None):
    company = request.company
    if quote is None:
        settings = selectors.billing_settings(company)
        initial = {"validity_days": settings.quote_validity_days}
        if request.GET.get("client"):
            initial["partner"] = request.GET["client"]
        lines_initial = None
    else:
        initial = {
            "partner": quote.partner_id,
            "title": quote.title,
            "issue_date": quote.issue_date,
            "validity_days": quote.validity_days,
            "order_reference": quote.order_reference,
            "notes": quote.notes,
        }
        lines_initial = [
            {
                "product": l.product_id,
                "description": l.description,
                "quantity": l.quantity,
                "unit": l.unit,
                "unit_price": l.unit_price,
                "discount_percent": l.discount_percent or None,
                "vat_rate": format(l.vat_rate.normalize(), "f"),
            }
            for l in quote.lines.all()
        ]
    form = QuoteForm(request.POST or None, initial=initial, company=company)
    formset = line_formset(company, data=request.POST or None, initial=lines_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            if quote is None:
                quote = services.create_quote(
                    company=company,
                    partner_id=data["partner"].pk,
                    lines=lines_from(formset),
                    issue_date=data["issue_date"],
                    title=data["title"],
                    validity_days=data["validity_days"],
                    order_reference=data["order_reference"],
                    notes=data["notes"],
                    user=request.user,
                )
            else:
                services.update_quote(
                    company=company,
                    quote_id=quote.pk,
                    lines=lines_from(formset),
                    partner_id=data["partner"].pk,
                    title=data["title"],
                    issue_date=data["issue_date"],
                    validity_days=data["validity_days"],
                    order_reference=data["order_reference"],
                    notes=data["notes"],
                )
        except BillingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Devis {quote.number} enregistré.")
            return redirect("billing:quote_detail", quote.pk)
    return render(
        request,
        "billing/quotes/form.html",
        {"form": form, "formset": formset, "quote": quote, "products_json": products_json(company)},
    )


@company_view("billing.edit")
def quote_create(request: HttpRequest) -> HttpResponse:
    return _quote_form_page(request, None)


@company_view("billing.edit", scoped_model=Quote)
def quote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _quote_form_page(request, get_scoped_or_404(Quote, request, pk))


@company_view("billing.view", scoped_model=Quote)
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_scoped_or_404(Quote.objects.select_related("partner"), request, pk)
    settings = selectors.billing_settings(request.company)
    return render(
        request,
        "billing/quotes/detail.html",
        {
            "quote": quote,
            "lines": quote.lines.all(),
            "invoices": quote.invoices.all().order_by("issue_date", "id"),
            "deposit_form": DepositForm(initial={"percent": settings.default_deposit_percent}),
            "send_form": SendForm(initial={"to": quote.partner.email}),
            "valid_until": quote.issue_date + dt.timedelta(days=quote.validity_days),
            "can_edit": request.membership.can("billing.edit"),
        },
    )


@company_view("billing.edit", scoped_model=Quote)
@require_POST
def quote_status(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_scoped_or_404(Quote, request, pk)
    try:
        services.set_quote_status(
            company=request.company, quote_id=quote.pk, status=request.POST.get("status", "")
        )
        messages.success(request, "Statut du devis mis à jour.")
    except BillingError as exc:
        _error(request, exc)
    return redirect("billing:quote_detail", quote.pk)


@company_view("billing.edit", scoped_model=Quote)
@require_POST
def quote_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_scoped_or_404(Quote, request, pk)
    try:
        invoice = services.invoice_from_quote(company=request.company, quote_id=quote.pk, user=request.user)
    except BillingError as exc:
        _error(request, exc)
        return redirect("billing:quote_detail", quote.pk)
    messages.success(
        request,
        f"Facture {invoice.number} émise depuis le devis {quote.number} "
        f"({format_eur(invoice.total_ttc)} TTC).",
    )
    return redirect("billing:invoice_detail", invoice.pk)


@company_view("billing.edit", scoped_model=Quote)
@require_POST
def quote_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_scoped_or_404(Quote, request, pk)
    form = DepositForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pourcentage d'acompte invalide (entre 0 et 100 %).")
        return redirect("billing:quote_detail", quote.pk)
    try:
        invoice = services.deposit_from_quote(
            company=request.company,
            quote_id=quote.pk,
            percent=form.cleaned_data["percent"],
            user=request.user,
        )
    except BillingError as exc:
        _error(request, exc)
        return redirect("billing:quote_detail", quote.pk)
    messages.success(
        request, f"Facture d'acompte {invoice.number} émise ({format_eur(invoice.total_ttc)} TTC)."
    )
    return redirect("billing:invoice_detail", invoice.pk)


@company_view("billing.view", scoped_model=Quote)
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.output import quote_pdf_bytes

    quote = get_scoped_or_404(Quote, request, pk)
    response = HttpResponse(quote_pdf_bytes(quote), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="devis-{quote.number}.pdf"'
    return response


@company_view("billing.edit", scoped_model=Quote)
@require_POST
def quote_send(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.output import send_quote

    quote = get_scoped_or_404(Quote, request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Adresse e-mail invalide.")
    else:
        try:
            log = send_quote(
                company=request.company, quote_id=quote.pk, to=form.cleaned_data["to"], user=request.user
            )
            messages.success(request, f"Devis envoyé à {log.to}.")
        except BillingError as exc:
            _error(request, exc)
    return redirect("billing:quote_detail", quote.pk)


# --- Invoices ---------------------------------------------------------------------------------------------


@company_view("billing.view")
def invoices(request: HttpRequest) -> HttpResponse:
    direction = request.GET.get("sens", Direction.CUSTOMER)
    direction = direction if direction in Direction.values else Direction.CUSTOMER
    status = request.GET.get("statut", "")
    status = status if status in (*InvoiceStatus.values, "open") else ""
    doc_type = request.GET.get("type", "")
    doc_type = doc_type if doc_type in DocType.values else ""
    search = request.GET.get("q", "").strip()
    qs = selectors.invoices(
        request.company, direction=direction, status=status, doc_type=doc_type, search=search
    )
    page = paginate(request, qs)
    today = selectors.today()
    for invoice in page.object_list:
        invoice.display_status = effective_status(invoice, today)
        invoice.display_label = status_label(invoice.display_status)
    return render(
        request,
        "billing/invoices/list.html",
        {
            "page": page,
            "direction": direction,
            "status": status,
            "doc_type": doc_type,
            "search": search,
            "statuses": [("open", "Ouvertes (à encaisser)"), *InvoiceStatus.choices],
            "doc_types": DocType.choices,
            "qs": querystring_without_page(request),
            "can_edit": request.membership.can("billing.edit"),
        },
    )


def _invoice_form_page(request, invoice: Invoice | None):
    company = request.company
    if invoice is None:
        initial = {"partner": request.GET.get("client")} if request.GET.get("client") else {}
        lines_initial = None
    else:
        initial = {
            "partner": invoice.partner_id,
            "order_reference": invoice.order_reference,
            "payment_terms_days": invoice.payment_terms_days,
            "delivery_date": invoice.delivery_date,
            "notes": invoice.notes,
        }
        lines_initial = [
            {
                "product": l.product_id,
                "description": l.description,
                "quantity": l.quantity,
                "unit": l.unit,
                "unit_price": l.unit_price,
                "discount_percent": l.discount_percent or None,
                "vat_rate": format(l.vat_rate.normalize(), "f"),
            }
            for l in invoice.lines.all()
        ]
    form = InvoiceForm(request.POST or None, initial=initial, company=company)
    formset = line_formset(company, data=request.POST or None, initial=lines_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            if invoice is None:
                invoice = services.create_invoice(
                    company=company,
                    partner_id=data["partner"].pk,
                    lines=lines_from(formset),
                    order_reference=data["order_reference"],
                    payment_terms_days=data["payment_terms_days"],
                    delivery_date=data["delivery_date"],
                    notes=data["notes"],
                    user=request.user,
                )
            else:
                services.update_draft_invoice(
                    company=company,
                    invoice_id=invoice.pk,
                    lines=lines_from(formset),
                    partner_id=data["partner"].pk,
                    order_reference=data["order_reference"],
                    payment_terms_days=data["payment_terms_days"],
                    delivery_date=data["delivery_date"],
                    notes=data["notes"],
                )
        except BillingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Brouillon enregistré : vérifiez-le puis émettez la facture.")
            return redirect("billing:invoice_detail", invoice.pk)
    return render(
        request,
        "billing/invoices/form.html",
        {"form": form, "formset": formset, "invoice": invoice, "products_json": products_json(company)},
    )


@company_view("billing.edit")
def invoice_create(request: HttpRequest) -> HttpResponse:
    return _invoice_form_page(request, None)


@company_view("billing.edit", scoped_model=Invoice)
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_scoped_or_404(Invoice, request, pk)
    if invoice.status != InvoiceStatus.DRAFT:
        messages.error(
            request, "Une facture émise ne peut plus être modifiée : pour la corriger, établissez un avoir."
        )
        return redirect("billing:invoice_detail", invoice.pk)
    return _invoice_form_page(request, invoice)


@company_view("billing.view", scoped_model=Invoice)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_scoped_or_404(
        Invoice.objects.select_related("partner", "quote", "related_invoice"), request, pk
    )
    today = selectors.today()
    status = effective_status(invoice, today)
    preview_missing = []
    if invoice.is_draft:
        from etabli.billing.mentions import legal_mentions, snapshot_buyer, snapshot_seller

        settings = selectors.billing_settings(request.company)
        invoice.seller = snapshot_seller(request.company, settings)
        invoice.buyer = snapshot_buyer(invoice.partner)
        invoice.legal_mentions = legal_mentions(
            invoice=invoice, seller=invoice.seller, buyer=invoice.buyer, settings=settings
        )
        invoice.number = invoice.number or "(à l'émission)"
        invoice.issue_date = invoice.issue_date or today
        invoice.due_date = invoice.due_date or today
        preview_missing = missing_mentions(invoice)
    return render(
        request,
        "billing/invoices/detail.html",
        {
            "invoice": invoice,
            "status": status,
            "status_label": status_label(status),
            "lines": invoice.lines.all(),
            "payments": invoice.payments.all(),
            "credit_notes": invoice.credit_notes.exclude(status=InvoiceStatus.DRAFT),
            "reminders": invoice.reminders.all()[:20],
            "emails": selectors.sent_emails(request.company, invoice)[:20],
            "payment_form": PaymentForm(initial={"amount": invoice.amount_open}),
            "send_form": SendForm(initial={"to": invoice.partner.email}),
            "issue_form": IssueForm(),
            "vat_rows": [{**row, "rate_label": format_rate(row["rate"])} for row in invoice.vat_breakdown],
            "operation_label": OperationCategory(invoice.operation_category).label
            if invoice.operation_category
            else "",
            "missing": preview_missing,
            "can_edit": request.membership.can("billing.edit"),
            "days_late": (today - invoice.due_date).days
            if invoice.due_date and status == InvoiceStatus.OVERDUE
            else 0,
            "einvoice": invoice.einvoice_data or {},
        },
    )


@company_view("billing.edit", scoped_model=Invoice)
@require_POST
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_scoped_or_404(Invoice, request, pk)
    form = IssueForm(request.POST)
    issue_date = form.cleaned_data["issue_date"] if form.is_valid() else None
    try:
        invoice = services.issue_invoice(
            company=request.company, invoice_id=invoice.pk, user=request.user, issue_date=issue_date
        )
        messages.success(request, f"Facture {invoice.number} émise : son PDF Factur-X est prêt.")
    except BillingError as exc:
        _error(request, exc)
    return redirect("billing:invoice_detail", invoice.pk)


@company_view("billing.edit", scoped_model=Invoice)
@require_POST
def invoice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_scoped_or_404(Invoice, request, pk)
    try:
        services.delete_draft_invoice(company=request.company, invoice_id=invoice.pk)
        messages.success(request, "Brouillon supprimé.")
        return redirect("billing:invoices")
    except BillingError as exc:
        _error(request, exc)
        return redirect("billing:invoice_detail", invoice.pk)


@company_view("billing.view", scoped_model=Invoice)
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.output import pdf_bytes, pdf_filename

    invoice = get_scoped_or_404(Invoice, request, pk)
    try:
        data = pdf_bytes(invoice)
    except BillingError as exc:
        _error(request, exc)
        return redirect("billing:invoice_detail", invoice.pk)
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("telecharger") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{pdf_filename(invoice)}"'
    return response


@company_view("billing.edit", scoped_model=Invoice)
@require_POST
def invoice_send(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.output import send_invoice

    invoice = get_scoped_or_404(Invoice, request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Adresse e-mail du destinataire invalide.")
    else:
        try:
            log = send_invoice(
                company=request.company, invoice_id=invoice.pk, to=form.cleaned_data["to"], user=request.user
            )
            messages.success(request, f"Facture envoyée à {log.to} avec son PDF Factur-X.")
        except BillingError as exc:
            _error(request, exc)
    return redirect("billing:invoice_detail", invoice.pk)


@company_view("billing.edit", scoped_model=Invoice)
@require_POST
def invoice_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_scoped_or_404(Invoice, request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Règlement invalide : " + " ".join(e for errs in form.errors.values() for e in errs)
        )
    else:
        data = form.cleaned_data
        try:
            view = services.record_payment(
                company=request.company,
                invoice_id=invoice.pk,
                amount=data["amount"],
                date=data["date"],
                method=data["method"],
                reference=data["reference"],
                user=request.user,
            )
            messages.success(
                request,
                f"Règlement de {format_eur(view.amount)} enregistré ; reste dû : "
                f"{format_eur(view.invoice_amount_open)}.",
            )
        except BillingError as exc:
            _error(request, exc)
    return redirect("billing:invoice_detail", invoice.pk)


@company_view("billing.edit", scoped_model=Invoice)
def invoice_credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_scoped_or_404(Invoice, request, pk)
    form = CreditNoteForm(request.POST or None)
    formset = line_formset(request.company, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        full = form.cleaned_data["mode"] == "full"
        try:
            note = services.create_credit_note(
                company=request.company,
                invoice_id=invoice.pk,
                user=request.user,
                lines=None if full else lines_from(formset),
                reason=form.cleaned_data["reason"],
            )
        except BillingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Avoir {note.number} émis sur la facture {invoice.number}.")
            return redirect("billing:invoice_detail", note.pk)
    return render(
        request,
        "billing/invoices/credit_note.html",
        {
            "invoice": invoice,
            "form": form,
            "formset": formset,
            "products_json": products_json(request.company),
        },
    )


@company_view("billing.edit", scoped_model=Invoice)
@require_POST
def invoice_remind(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.dunning import propose_now

    invoice = get_scoped_or_404(Invoice, request, pk)
    try:
        entry = propose_now(company=request.company, invoice_id=invoice.pk)
    except BillingError as exc:
        _error(request, exc)
        return redirect("billing:invoice_detail", invoice.pk)
    if entry.outcome == "sent_automatically":
        messages.success(request, f"{entry.step} envoyée automatiquement (ton {entry.tone_label.lower()}).")
        return redirect("billing:invoice_detail", invoice.pk)
    messages.success(
        request, f"{entry.step} proposée (ton {entry.tone_label.lower()}) : relisez-la et validez l'envoi."
    )
    return (
        redirect("core:review_detail", entry.review_id)
        if entry.review_id
        else redirect("billing:invoice_detail", invoice.pk)
    )


# --- Payments, dunning, import ----------------------------------------------------------------------------


@company_view("billing.view")
def payments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "billing/payments.html",
        {
            "page": paginate(request, selectors.payments(request.company)),
            "qs": querystring_without_page(request),
        },
    )


@company_view("billing.view")
def dunning(request: HttpRequest) -> HttpResponse:
    from etabli.billing.services.dunning import auto_send_enabled, run_dunning, set_auto_send
    from etabli.billing.services.setup import save_step, update_settings

    company = request.company
    settings = selectors.billing_settings(company)
    can_admin = request.membership.can("billing.admin")
    settings_form = SettingsForm(instance=settings)
    step_form = StepForm(prefix="etape")
    auto_form = AutoSendForm(initial=auto_send_enabled(company), prefix="auto")
    if request.method == "POST":
        if not can_admin:
            messages.error(
                request, "Seul le dirigeant (ou un droit « Administrer ») peut modifier les relances."
            )
            return redirect("billing:dunning")
        action = request.POST.get("action")
        try:
            if action == "settings":
                settings_form = SettingsForm(request.POST, instance=selectors.billing_settings(company))
                if settings_form.is_valid():
                    update_settings(company=company, **{k: v for k, v in settings_form.cleaned_data.items()})
                    messages.success(request, "Réglages de facturation enregistrés.")
                    return redirect("billing:dunning")
            elif action == "step":
                step_form = StepForm(request.POST, prefix="etape")
                if step_form.is_valid():
                    save_step(company=company, step=None, **step_form.cleaned_data)
                    messages.success(request, "Étape ajoutée.")
                    return redirect("billing:dunning")
            elif action == "auto":
                auto_form = AutoSendForm(request.POST, prefix="auto")
                if auto_form.is_valid():
                    for level, enabled in auto_form.cleaned_data.items():
                        set_auto_send(company=company, level=level, enabled=enabled, user=request.user)
                    messages.success(
                        request, "Envoi automatique mis à jour (au-dessus de 90 % de confiance)."
                    )
                    return redirect("billing:dunning")
        except BillingError as exc:
            target = settings_form if action == "settings" else step_form
            apply_errors(target, exc)
    preview = run_dunning(company=company, dry_run=True)
    return render(
        request,
        "billing/dunning.html",
        {
            "settings": settings,
            "settings_form": settings_form,
            "step_form": step_form,
            "auto_form": auto_form,
            "steps": selectors.dunning_steps(company),
            "preview": preview.entries[:50],
            "preview_count": len(preview.entries),
            "reminders": selectors.reminders(company)[:30],
            "can_admin": can_admin,
            "can_edit": request.membership.can("billing.edit"),
            "penalty_rate": settings.penalty_rate,
        },
    )


@company_view("billing.admin", scoped_model=DunningStep)
@require_POST
def dunning_step(request: HttpRequest, pk: int) -> HttpResponse:
    from etabli.billing.services.setup import save_step

    step = get_scoped_or_404(DunningStep, request, pk)
    if request.POST.get("action") == "delete":
        step.delete()
        messages.success(request, "Étape supprimée.")
        return redirect("billing:dunning")
    form = StepForm(request.POST, prefix=f"etape-{step.pk}")
    if form.is_valid():
        try:
            save_step(company=request.company, step=step, **form.cleaned_data)
            messages.success(request, "Étape enregistrée.")
        except BillingError as exc:
            _error(request, exc)
    else:
        messages.error(request, "Étape invalide.")
    return redirect("billing:dunning")


@company_view("billing.edit")
@require_POST
def dunning_run(request: HttpRequest) -> HttpResponse:
    from etabli.billing.services.dunning import run_dunning

    report = run_dunning(company=request.company)
    proposed = sum(1 for e in report.entries if e.outcome == "proposed")
    sent = sum(1 for e in report.entries if e.outcome == "sent_automatically")
    errors = [e for e in report.entries if e.outcome == "error"]
    messages.success(
        request, f"{proposed} relance(s) proposée(s) à valider, {sent} envoyée(s) automatiquement."
    )
    for entry in errors[:5]:
        messages.error(request, f"{entry.number} : {entry.message}")
    return redirect("core:reviews" if proposed else "billing:dunning")


@company_view("billing.edit")
def einvoice_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_einvoice(
                company=request.company,
                data=upload.read(),
                filename=upload.name,
                direction=form.cleaned_data["direction"],
            )
        except BillingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Facture {result.invoice.number} de {result.partner.name} importée "
                f"({format_eur(result.invoice.total_ttc)} TTC).",
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("billing:invoice_detail", result.invoice.id)
    return render(request, "billing/import.html", {"form": form})


def chart_json(data: dict) -> str:
    return json.dumps(data)
