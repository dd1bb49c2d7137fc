"""What each template field holds, and the judge of a record by the published ranges.

Each template field is classified: an identifier judged by its rule, a UUID, or text that
must hold no real identifier anywhere in it. A field added to a template is reported as
unclassified until it is added here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from tests.sdk.published_ranges import hipaa_unsafe, text_unsafe, unsafe

#: template -> field path -> what it holds: an identifier rule of published_ranges (with
#: "postcode", under hipaa also Safe Harbor's ZIP rule), "date_of_birth" (Safe Harbor under
#: hipaa, text otherwise), "uuid", "text", or a "number" or "boolean" (no identifier)
FIELDS: dict[str, dict[str, str]] = {
    "customer": {
        "id": "uuid",
        "first_name": "text",
        "last_name": "text",
        "email": "email",
        "phone": "phone",
        "date_of_birth": "date_of_birth",
        "street_address": "text",
        "city": "text",
        "country": "text",
        "credit_card_number": "credit_card",
    },
    "device": {
        "device_id": "uuid",
        "hostname": "hostname",
        "device_type": "text",
        "os": "text",
        "firmware_version": "text",
        "serial_number": "text",
        "mac_address": "mac_address",
        "ipv4_address": "ipv4",
        "ipv6_address": "ipv6",
        "open_ports[]": "number",
        "owner_email": "email",
        "is_online": "boolean",
        "last_seen": "text",
    },
    "employee": {
        "employee_id": "uuid",
        "first_name": "text",
        "last_name": "text",
        "work_email": "email",
        "ssn": "ssn",
        "date_of_birth": "date_of_birth",
        "company": "text",
        "job_title": "text",
        "department": "text",
        "employment_type": "text",
        "salary": "number",
        "hire_date": "text",
        "manager_id": "uuid",
        "is_remote": "boolean",
    },
    "order": {
        "order_id": "uuid",
        "order_number": "text",
        "customer_id": "uuid",
        "customer_email": "email",
        "status": "text",
        "placed_at": "text",
        "currency": "text",
        "items[].sku": "text",
        "items[].quantity": "number",
        "items[].unit_price": "number",
        "shipping_address.recipient_name": "text",
        "shipping_address.street_address": "text",
        "shipping_address.city": "text",
        "shipping_address.region": "text",
        "shipping_address.postcode": "postcode",
        "shipping_address.country": "text",
        "shipping_cost": "number",
        "express_shipping": "boolean",
        "coupon_code": "text",
    },
    "patient": {
        "patient_id": "uuid",
        "nhs_number": "nhs_number",
        "first_name": "text",
        "last_name": "text",
        "date_of_birth": "date_of_birth",
        "sex": "text",
        "blood_type": "text",
        "height_cm": "number",
        "weight_kg": "number",
        "smoker": "boolean",
        "phone": "phone",
        "address.street_address": "text",
        "address.city": "text",
        "address.region": "text",
        "address.postcode": "postcode",
        "address.country": "text",
        "allergies[]": "text",
        "registered_at": "text",
    },
    "payment": {
        "payment_id": "uuid",
        "order_id": "uuid",
        "cardholder_name": "text",
        "card_number": "credit_card",
        "payee_iban": "iban",
        "amount": "number",
        "currency": "text",
        "status": "text",
        "is_recurring": "boolean",
        "statement_descriptor": "text",
        "customer_ip": "ipv4",
        "created_at": "text",
    },
    "user_account": {
        "user_id": "uuid",
        "username": "text",
        "email": "email",
        "display_name": "text",
        "homepage": "url",
        "role": "text",
        "is_active": "boolean",
        "login_count": "number",
        "created_at": "text",
        "last_login_at": "text",
        "preferences.language": "text",
        "preferences.theme": "text",
        "preferences.newsletter": "boolean",
    },
    "product": {
        "product_id": "uuid",
        "sku": "text",
        "product_name": "text",
        "category": "text",
        "brand": "text",
        "price": "number",
        "currency": "text",
        "stock_quantity": "number",
        "weight_kg": "number",
        "is_active": "boolean",
        "created_at": "text",
    },
    "order_item": {
        "order_item_id": "uuid",
        "order_id": "uuid",
        "product_id": "uuid",
        "sku": "text",
        "quantity": "number",
        "unit_price": "number",
        "discount": "number",
        "tax_rate_percent": "text",
        "currency": "text",
        "is_gift": "boolean",
    },
    "encounter": {
        "encounter_id": "uuid",
        "patient_id": "uuid",
        "encounter_type": "text",
        "status": "text",
        "department": "text",
        "reason": "text",
        "attending_clinician": "text",
        "admitted_at": "text",
        "discharged_at": "text",
        "length_of_stay_hours": "number",
        "is_readmission": "boolean",
    },
    "diagnosis": {
        "diagnosis_id": "uuid",
        "encounter_id": "uuid",
        "icd10_code": "text",
        "code_system": "text",
        "rank": "text",
        "clinical_status": "text",
        "severity": "text",
        "is_chronic": "boolean",
        "onset_date": "text",
        "recorded_at": "text",
    },
    "prescription": {
        "prescription_id": "uuid",
        "encounter_id": "uuid",
        "medication": "text",
        "ndc_code": "text",
        "dose": "number",
        "dose_unit": "text",
        "route": "text",
        "frequency": "text",
        "quantity": "number",
        "refills": "number",
        "prescriber": "text",
        "status": "text",
        "prescribed_at": "text",
    },
    "account": {
        "account_id": "uuid",
        "customer_id": "uuid",
        "iban": "iban",
        "holder_name": "text",
        "account_type": "text",
        "currency": "text",
        "balance": "number",
        "overdraft_limit": "number",
        "interest_rate_percent": "number",
        "status": "text",
        "branch_city": "text",
        "opened_on": "text",
    },
    "transaction": {
        "transaction_id": "uuid",
        "account_id": "uuid",
        "amount": "number",
        "currency": "text",
        "direction": "text",
        "transaction_type": "text",
        "merchant_name": "text",
        "merchant_category_code": "text",
        "counterparty_iban": "iban",
        "reference": "text",
        "status": "text",
        "booked_at": "text",
    },
    "payment_card": {
        "card_id": "uuid",
        "account_id": "uuid",
        "cardholder_name": "text",
        "card_number": "credit_card",
        "card_type": "text",
        "expiry_month": "number",
        "expiry_year": "number",
        "status": "text",
        "contactless": "boolean",
        "daily_limit": "number",
        "issued_on": "text",
    },
    "telemetry_event": {
        "event_id": "uuid",
        "device_id": "uuid",
        "recorded_at": "text",
        "sequence_number": "number",
        "temperature_c": "number",
        "humidity_percent": "number",
        "battery_percent": "number",
        "signal_strength_dbm": "number",
        "level": "text",
        "firmware_version": "text",
    },
    "subscription": {
        "subscription_id": "uuid",
        "user_id": "uuid",
        "plan": "text",
        "billing_interval": "text",
        "status": "text",
        "seats": "number",
        "price": "number",
        "currency": "text",
        "started_at": "text",
        "current_period_end": "text",
        "trial_ends_at": "text",
        "cancel_at_period_end": "boolean",
    },
    "audit_log": {
        "event_id": "uuid",
        "user_id": "uuid",
        "actor_email": "email",
        "action": "text",
        "resource_type": "text",
        "resource_id": "uuid",
        "outcome": "text",
        "ip_address": "ipv4",
        "user_agent": "text",
        "request_id": "uuid",
        "occurred_at": "text",
    },
}


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every scalar in a record; list items share ``path[]``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, f"{path}[]")
    else:
        yield path, value


def judge(kind: str, value: Any, locale: str, hipaa: bool) -> str | None:
    """Why one value is not safe for its field's kind, or None."""
    if value is None or kind in ("number", "boolean"):
        return None  # numbers hold no identifier here: no template field is a numeric id
    if kind == "uuid":
        return None if str(uuid.UUID(value)) == value else "not a canonical UUID"
    if kind == "date_of_birth":
        return hipaa_unsafe(kind, value) if hipaa else text_unsafe(value, locale)
    if kind == "postcode" and hipaa and locale == "en_US":
        return hipaa_unsafe(kind, value, locale) or unsafe(kind, value, locale)
    if kind == "text":
        return text_unsafe(value, locale)
    return unsafe(kind, value, locale)


def unsafe_values(
    template: str, records: list[dict[str, Any]], locale: str, hipaa: bool
) -> tuple[set[str], list[tuple[int, str, Any, str]]]:
    """The unclassified field paths, and (row, path, value, why) for each unsafe value."""
    fields = FIELDS[template]
    unknown: set[str] = set()
    found = []
    for row, record in enumerate(records):
        for path, value in leaves(record):
            kind = fields.get(path)
            if kind is None:
                unknown.add(path)
                continue
            why = judge(kind, value, locale, hipaa)
            if why is not None:
                found.append((row, path, value, why))
    return unknown, found
