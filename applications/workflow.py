"""Every state change of a request: one function each (pretix style).

Each function checks the source state, locks the row inside `transaction.atomic()`, saves with
`update_fields`, appends a `RequestEvent` with actor and time, recomputes the due date through
`applications.deadlines`, and sends its notifications only after the transaction commits.
Views, admin actions and management commands call only these functions.
"""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from applications import deadlines, documents, fees, notifications
from applications.models import (
    APPLICANT_FIELDS,
    NUMBER_PREFIX,
    SOUGHT_FIELDS,
    Channel,
    Complaint,
    ComplaintState,
    ConsultationParty,
    DeliveryRoute,
    Document,
    DocumentKind,
    DocumentSettings,
    EventKind,
    LetterKind,
    NumberCounter,
    Request,
    RequestEvent,
    Result,
    State,
    reply_kind,
)
from portal import access_codes, counters, permissions

APPLICANT = "申请人"
SYSTEM = permissions.SYSTEM_LABEL


class WorkflowError(Exception):
    """A transition that the law or the request's state does not allow; the message is for users."""


def today() -> dt.date:
    return timezone.localdate()


def allocate_number(year: int) -> tuple[int, str]:
    """The next serial of `year`, from a counter row locked until the caller's transaction ends."""
    serial = counters.take(NumberCounter, "last", year=year)
    return serial, counters.tracking_number(NUMBER_PREFIX, year, serial)


# --- which transition is allowed when -------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """Where a transition may start; `once`: the event it appends may happen only once;
    `after_period_of`: it runs only after the period set by these events has run out (the
    `until_on` of the last one in this order that has one), `period_message` saying until when
    it waits; `unknown_period_message`: refused while no such event sets the period."""

    label: str
    states: tuple[State, ...]
    once: EventKind | None = None
    once_message: str = ""
    after_period_of: tuple[EventKind, ...] = ()
    period_message: str = ""
    unknown_period_message: str = ""


# Every transition's allowed source states, declared here only: the functions below check them
# under the row lock, the admin offers an action and the tracking page an applicant's step by
# asking `available`.
TRANSITIONS = {
    "redirect": Transition("转至其他单位", (State.SUBMITTED,)),
    "confirm": Transition("确认收到", (State.SUBMITTED,)),
    "request_supplement": Transition(
        "要求补正",
        (State.PROCESSING,),
        once=EventKind.SUPPLEMENT_REQUESTED,
        once_message="补正只能要求一次（第三十条）。",
    ),
    "receive_supplement": Transition("提交补正", (State.SUPPLEMENT,)),
    "supplement_expired": Transition(
        "按逾期未补正终止",
        (State.SUPPLEMENT,),
        after_period_of=(EventKind.SUPPLEMENT_REQUESTED,),
        period_message="补正期限（{until:%Y-%m-%d}）尚未届满。",
    ),
    "start_consultation": Transition("征求意见", (State.PROCESSING,)),
    "consultation_received": Transition("登记第三方收到日期", (State.CONSULTING,)),
    "end_consultation": Transition("结束征求意见", (State.CONSULTING,)),
    "extend": Transition(
        "延期答复",
        (State.PROCESSING, State.CONSULTING),
        once=EventKind.EXTENDED,
        once_message="答复期限只能延长一次（第三十三条）。",
    ),
    "later_date": Transition("确定合理答复期限", (State.PROCESSING, State.CONSULTING)),
    "fee_notice": Transition(
        "发出收费通知",
        (State.PROCESSING,),
        once=EventKind.FEE_NOTICE,
        once_message="该申请已发出过收费通知。",
    ),
    "fee_notice_received": Transition("登记申请人收到收费通知的日期", (State.AWAITING_PAYMENT,)),
    "record_payment": Transition("登记缴费", (State.AWAITING_PAYMENT,)),
    "fee_expired": Transition(
        "按逾期未缴费终止",
        (State.AWAITING_PAYMENT,),
        # A posted notice sets the period only once its receipt is recorded (fee_payment_until).
        after_period_of=(EventKind.FEE_NOTICE, EventKind.FEE_NOTICE_RECEIVED),
        period_message="缴费期限（{until:%Y-%m-%d}）尚未届满。",
        unknown_period_message="尚未登记申请人收到收费通知的日期，缴费期限无法计算，不能终止。",
    ),
    "reply": Transition("作出答复", (State.PROCESSING, State.CONSULTING)),
    "withdraw": Transition("撤回", (State.SUBMITTED, *State.open())),
    "archive": Transition("归档", (State.REPLIED, State.CLOSED, State.WITHDRAWN)),
    "reissue_code": Transition("重新发放查询码", tuple(State)),
}


def refusal(request: Request, name: str, happened: dict | None = None, on=None) -> str:
    """Why the transition `name` cannot run on `request` on day `on` (today) ("" when it can).

    `happened`: the event kinds the request already has, each with the `until_on` of its last
    event, when the caller read them already.
    """
    transition = TRANSITIONS[name]
    if request.state not in transition.states:
        return f"该申请当前状态为“{request.get_state_display()}”，不能{transition.label}。"
    if transition.once:
        if happened is None:
            done = request.events.filter(kind=transition.once).exists()
        else:
            done = transition.once in happened
        if done:
            return transition.once_message
    if transition.after_period_of:
        if happened is None:
            happened = _happened(request, transition.after_period_of)
        ends = [happened.get(kind) for kind in transition.after_period_of]
        until = next((end for end in reversed(ends) if end), None)
        if until is None and transition.unknown_period_message:
            return transition.unknown_period_message
        if until and _date(on) <= until:
            return transition.period_message.format(until=until)
    return ""


def _happened(request: Request, kinds) -> dict:
    """Each of `kinds` the request has, with the `until_on` of its last event of that kind."""
    rows = request.events.filter(kind__in=kinds).order_by("created_at", "pk")
    return dict(rows.values_list("kind", "until_on"))


def available(request: Request, names=None) -> list[str]:
    """The transitions (of `names`, default all) that may run on `request` now, in one query."""
    names = list(TRANSITIONS) if names is None else names
    kinds = {TRANSITIONS[name].once for name in names if TRANSITIONS[name].once}
    kinds.update(kind for name in names for kind in TRANSITIONS[name].after_period_of)
    happened = _happened(request, kinds)
    return [name for name in names if not refusal(request, name, happened)]


# --- helpers ---------------------------------------------------------------------------------


def _locked(request: Request) -> Request:
    # of=("self",): on PostgreSQL a lock taken through select_related would also lock the unit's
    # row, serialising every request of the unit behind this one.
    return Request.objects.select_for_update(of=("self",)).select_related("unit").get(pk=request.pk)


def _lock(request: Request, name: str, on=None) -> Request:
    """The request, locked, once the transition `name` is allowed on it (on day `on`)."""
    locked = _locked(request)
    problem = refusal(locked, name, on=on)
    if problem:
        raise WorkflowError(problem)
    return locked


def _actor_fields(actor) -> dict:
    return permissions.actor_fields(actor, APPLICANT)


def _event(request, kind, actor, on, *, public=True, note="", until=None, **payload):
    """Append an event: its kind and facts; the applicant's sentence is made when shown."""
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        effective_on=on,
        until_on=until,
        public=public,
        note=note,
        payload=payload,
        **_actor_fields(actor),
    )


def _refresh_due(request: Request, on: dt.date) -> deadlines.Deadline:
    deadline = deadlines.for_request(request, on)
    request.due_on = deadline.due_on
    return deadline


def _issue(request, event, kind, doc_kind, on, context=None, **options) -> Document:
    """The official document of this step, from the unit's template (`applications.documents`)."""
    try:
        return documents.issue(
            request, event, kind, context or {}, doc_kind=doc_kind, on=on, **options
        )
    except documents.DocumentError as error:
        raise WorkflowError(str(error)) from None


def _day(on: dt.date) -> str:
    return documents.date_text(on)


def clause(text: str) -> str:
    """Staff text set inside a sentence: without the full stop it was typed with (no "。，")."""
    return text.strip().rstrip("。．.，,；;！!")


def _notify(request, event):
    transaction.on_commit(partial(notifications.applicant_update, request.pk, event.pk))


def _date(on: dt.date | None) -> dt.date:
    return on or today()


# --- creation --------------------------------------------------------------------------------

REQUEST_DATA_FIELDS = [*APPLICANT_FIELDS, *SOUGHT_FIELDS]


def _new_request(
    unit, channel, data, id_document, state, received_on=None, submitted_at=None
) -> tuple[Request, str]:
    code = access_codes.new_code()
    now = submitted_at or timezone.now()
    # A paper request registered in early January for a December receipt belongs to December's
    # year, like its 新收 count in the annual report.
    year = received_on.year if received_on else timezone.localtime(now).year
    serial, number = allocate_number(year)
    request = Request(
        number=number,
        year=year,
        serial=serial,
        access_code_hash=Request.hash_access_code(code),
        unit=unit,
        channel=channel,
        state=state,
        submitted_at=now,
        received_on=received_on,
        **{name: data.get(name) or "" for name in REQUEST_DATA_FIELDS},
    )
    if id_document:
        request.id_document = id_document
    request.save()
    return request, code


def submit_online(unit, data: dict, id_document=None, submitted_at=None) -> tuple[Request, str]:
    """An online application: numbered at once, waiting in 待确认 until a clerk confirms it.

    `submitted_at` is only for importing past submissions (demo data, migrations of old registers).
    """
    if submitted_at and submitted_at > timezone.now():
        raise WorkflowError("提交时间不能晚于当前时间。")
    with transaction.atomic():
        request, code = _new_request(
            unit, Channel.ONLINE, data, id_document, State.SUBMITTED, submitted_at=submitted_at
        )
        _event(
            request,
            EventKind.SUBMITTED,
            None,
            timezone.localtime(request.submitted_at).date(),
        )
        transaction.on_commit(partial(notifications.receipt, request.pk, code))
        transaction.on_commit(partial(notifications.new_request, request.pk))
    return request, code


# A receipt date further back needs a reason in the history: it starts an overdue clock and
# changes the statistics of a year that may be reported already.
LATE_REGISTRATION_DAYS = 30


def register_paper(
    unit,
    *,
    actor,
    channel,
    received_on: dt.date,
    data: dict,
    id_document=None,
    late_reason: str = "",
) -> tuple[Request, str]:
    """A request handed in, posted, faxed, e-mailed or taken down orally (Art. 29, 31)."""
    if channel == Channel.ONLINE:
        raise WorkflowError("网上申请由申请人在线提交，不能登记为书面申请。")
    if received_on > today():
        raise WorkflowError("收到申请日期不能晚于今天。")
    late = (today() - received_on).days > LATE_REGISTRATION_DAYS
    if late and not late_reason.strip():
        raise WorkflowError(
            f"收到申请日期早于{LATE_REGISTRATION_DAYS}天前，请说明补登的原因（记入办理记录）。"
        )
    with transaction.atomic():
        request, code = _new_request(
            unit, channel, data, id_document, State.PROCESSING, received_on=received_on
        )
        _event(
            request,
            EventKind.REGISTERED,
            actor,
            received_on,
            note=f"补登原因：{late_reason.strip()}" if late else "",
            channel=channel,
            **({"late_reason": late_reason.strip()} if late else {}),
        )
        event = _event(request, EventKind.RECEIVED, actor, received_on)
        _refresh_due(request, received_on)
        request.save(update_fields=["due_on"])
        # Printed at the desk with the 查询码, so paper, post and fax applicants can follow online.
        _issue(
            request,
            event,
            LetterKind.RECEIPT,
            DocumentKind.RECEIPT,
            today(),
            {"channel": Channel(channel).label, "due_on": _day(request.due_on), "code": code},
        )
        _notify(request, event)
        transaction.on_commit(partial(notifications.receipt, request.pk, code))
    return request, code


# --- transitions -----------------------------------------------------------------------------


def redirect(request, *, actor, to_unit, note="") -> Request:
    """A misdirected online request goes to the right unit before anyone confirms it."""
    with transaction.atomic():
        request = _lock(request, "redirect")
        if to_unit.pk == request.unit_id:
            raise WorkflowError("请选择其他单位。")
        from_unit = request.unit
        request.unit = to_unit
        request.save(update_fields=["unit"])
        event = _event(
            request,
            EventKind.REDIRECTED,
            actor,
            today(),
            note=note,
            from_unit=from_unit.pk,
            to_unit=to_unit.pk,
            # The names as they were: a unit renamed later does not rewrite what was said.
            from_unit_name=from_unit.name,
            to_unit_name=to_unit.name,
        )
        _notify(request, event)
        transaction.on_commit(partial(notifications.new_request, request.pk))
    return request


def confirm(request, *, actor, received_on: dt.date | None = None, note="") -> Request:
    """Art. 31: an online request is received on the day both sides confirm it."""
    on = _date(received_on)
    with transaction.atomic():
        request = _lock(request, "confirm")
        if on > today() or on < timezone.localtime(request.submitted_at).date():
            raise WorkflowError("收到日期应在提交日期与今天之间。")
        request.state = State.PROCESSING
        request.received_on = on
        event = _event(request, EventKind.RECEIVED, actor, on, note=note, confirmed=True)
        _refresh_due(request, on)
        request.save(update_fields=["state", "received_on", "due_on"])
        _issue(
            request,
            event,
            LetterKind.RECEIPT,
            DocumentKind.RECEIPT,
            today(),
            {"channel": Channel(request.channel).label, "due_on": _day(request.due_on)},
        )
        _notify(request, event)
    return request


def request_supplement(request, *, actor, what: str, period_workdays: int, on=None) -> Request:
    """Art. 30: once, within 7 working days of receipt, saying what and by when."""
    on = _date(on)
    if not what.strip():
        raise WorkflowError("请写明需要补正的事项。")
    if not 1 <= period_workdays <= 30:
        raise WorkflowError("补正期限应为1至30个工作日。")
    with transaction.atomic():
        request = _lock(request, "request_supplement")
        if not deadlines.supplement_notice_allowed(request.received_on, on):
            raise WorkflowError("应当自收到申请之日起7个工作日内一次性告知补正（第三十条）。")
        until = deadlines.add_workdays(on, period_workdays)
        request.state = State.SUPPLEMENT
        event = _event(
            request,
            EventKind.SUPPLEMENT_REQUESTED,
            actor,
            on,
            until=until,
            what=what,
            period_workdays=period_workdays,
        )
        _issue(
            request,
            event,
            LetterKind.SUPPLEMENT_NOTICE,
            DocumentKind.SUPPLEMENT_NOTICE,
            on,
            {"what": what.strip(), "until": _day(until)},
        )
        _refresh_due(request, on)
        request.save(update_fields=["state", "due_on"])
        _notify(request, event)
    return request


def receive_supplement(request, *, actor=None, text: str, file=None, on=None) -> Request:
    """The supplemented application arrives; the clock restarts from this day (Art. 30)."""
    on = _date(on)
    if not text.strip() and not file:
        raise WorkflowError("请填写补正内容或上传补正材料。")
    with transaction.atomic():
        request = _lock(request, "receive_supplement")
        notice = request.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED).last()
        if actor is None and notice and notice.until_on and on > notice.until_on:
            raise WorkflowError("补正期限已过，请联系受理单位。")
        request.state = State.PROCESSING
        event = _event(
            request,
            EventKind.SUPPLEMENT_RECEIVED,
            actor,
            on,
            note=text,
        )
        Document.objects.create(
            request=request,
            event=event,
            kind=DocumentKind.SUPPLEMENT,
            title="补正材料",
            body=text,
            file=file or "",
            for_applicant=False,
        )
        _refresh_due(request, on)
        request.save(update_fields=["state", "due_on"])
        _notify(request, event)
    return request


def _close(request, result, on, actor, kind, **extra):
    request.state = State.CLOSED
    request.result = result
    request.replied_on = on
    deadline = _refresh_due(request, on)
    request.workdays_taken = deadlines.workdays_taken(deadline, on)
    event = _event(request, kind, actor, on)
    request.legal_basis = documents.choose_basis(result)
    letter = _issue(
        request,
        event,
        reply_kind(result),
        DocumentKind.REPLY_LETTER,
        on,
        extra,
        basis=request.legal_basis,
    )
    request.reply_letter = letter.body
    request.save(
        update_fields=[
            "state",
            "result",
            "replied_on",
            "due_on",
            "workdays_taken",
            "reply_letter",
            "legal_basis",
        ]
    )
    _notify(request, event)
    return request


def supplement_expired(request, *, actor=SYSTEM, on=None) -> Request:
    """No supplement in time: treated as abandoned, counted as 其他处理 1."""
    on = _date(on)
    with transaction.atomic():
        request = _lock(request, "supplement_expired", on)
        notice = request.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED).last()
        return _close(
            request,
            Result.OTHER_NO_SUPPLEMENT,
            on,
            actor,
            EventKind.SUPPLEMENT_EXPIRED,
            supplement_on=_day(notice.effective_on),
        )


def start_consultation(
    request,
    *,
    actor,
    party: str,
    note="",
    on=None,
    letter_received_on=None,
    third_party: str = "",
) -> Request:
    """Art. 32/34: ask a third party or another agency; the days until the answer do not count.

    A third party (`third_party`, its name) gets a 征询书 and answers within 15 working days of
    receiving it (`letter_received_on`, or later through `record_consultation_received`); the
    applicant is told. Another agency has no such period.
    """
    on = _date(on)
    party = ConsultationParty(party)
    third_party = third_party.strip()
    if party == ConsultationParty.THIRD_PARTY and not third_party:
        raise WorkflowError("请填写第三方的名称，征询书须写明送达对象。")
    if letter_received_on and party != ConsultationParty.THIRD_PARTY:
        raise WorkflowError("只有征求第三方意见时才需登记对方收到征求意见书的日期。")
    with transaction.atomic():
        request = _lock(request, "start_consultation")
        request.state = State.CONSULTING
        event = _event(
            request,
            EventKind.CONSULTATION_STARTED,
            actor,
            on,
            note=note,
            party=party.value,
        )
        if party == ConsultationParty.THIRD_PARTY:
            context = {"third_party": third_party}
            _issue(
                request,
                event,
                LetterKind.CONSULTATION_LETTER,
                DocumentKind.CONSULTATION_LETTER,
                on,
                context,
                addressee=third_party,
                for_applicant=False,
            )
            _issue(
                request,
                event,
                LetterKind.CONSULTATION_NOTICE,
                DocumentKind.CONSULTATION_NOTICE,
                on,
                context,
            )
        if letter_received_on:
            _consultation_received(request, actor, letter_received_on, started_on=on)
        _refresh_due(request, on)
        request.save(update_fields=["state", "due_on"])
        _notify(request, event)
    return request


def _consultation_received(request, actor, received_on, started_on):
    if received_on < started_on or received_on > today():
        raise WorkflowError("第三方收到征求意见书的日期应在发出日期与今天之间。")
    until = deadlines.third_party_reply_due(received_on)
    return _event(
        request,
        EventKind.CONSULTATION_RECEIVED,
        actor,
        received_on,
        until=until,
        public=False,
        note=f"第三方应于{until:%Y年%m月%d日}前提出意见（第三十二条）。",
    )


def record_consultation_received(request, *, actor, received_on: dt.date) -> Request:
    """The day the third party received the consultation letter (e.g. the post's receipt)."""
    with transaction.atomic():
        request = _lock(request, "consultation_received")
        started = request.events.filter(kind=EventKind.CONSULTATION_STARTED).last()
        if started.payload.get("party") != ConsultationParty.THIRD_PARTY:
            raise WorkflowError("征求其他机关意见没有法定答复期限，无需登记收到日期。")
        if request.events.filter(
            kind=EventKind.CONSULTATION_RECEIVED, created_at__gte=started.created_at
        ).exists():
            raise WorkflowError("已登记第三方收到征求意见书的日期。")
        _consultation_received(request, actor, received_on, started_on=started.effective_on)
        _refresh_due(request, today())
        request.save(update_fields=["due_on"])
    return request


def end_consultation(request, *, actor, note="", on=None) -> Request:
    on = _date(on)
    with transaction.atomic():
        request = _lock(request, "end_consultation")
        started = request.events.filter(kind=EventKind.CONSULTATION_STARTED).last()
        if on < started.effective_on:
            raise WorkflowError("结束日期不能早于征求意见开始日期。")
        request.state = State.PROCESSING
        event = _event(
            request,
            EventKind.CONSULTATION_ENDED,
            actor,
            on,
            note=note,
        )
        _refresh_due(request, on)
        request.save(update_fields=["state", "due_on"])
        _notify(request, event)
    return request


def extend(request, *, actor, workdays: int, approver: str, reason: str, on=None) -> Request:
    """Art. 33: once, at most 20 working days, approved by the office's head; the applicant is told."""
    on = _date(on)
    if not 1 <= workdays <= deadlines.MAX_EXTENSION_WORKDAYS:
        raise WorkflowError("延长期限应为1至20个工作日（第三十三条）。")
    if not approver.strip() or not reason.strip():
        raise WorkflowError("请填写批准延期的负责人和延期理由。")
    with transaction.atomic():
        request = _lock(request, "extend")
        if request.due_on and on > request.due_on:
            raise WorkflowError("答复期限已过，不能再延期。")
        event = _event(
            request,
            EventKind.EXTENDED,
            actor,
            on,
            note=f"批准人：{approver}",
            workdays=workdays,
            approver=approver,
            reason=reason,
        )
        _refresh_due(request, on)
        _issue(
            request,
            event,
            LetterKind.EXTENSION_NOTICE,
            DocumentKind.EXTENSION_NOTICE,
            on,
            {"reason": clause(reason), "workdays": workdays, "due_on": _day(request.due_on)},
        )
        request.save(update_fields=["due_on"])
        _notify(request, event)
    return request


def set_later_date(request, *, actor, until: dt.date, reason: str, on=None) -> Request:
    """Art. 35: a mass application with good reason, beyond capacity, gets a reasonable later date."""
    on = _date(on)
    if not reason.strip():
        raise WorkflowError("请写明确定合理期限的理由。")
    with transaction.atomic():
        request = _lock(request, "later_date")
        if request.due_on and until <= request.due_on:
            raise WorkflowError("合理期限应晚于法定答复期限；法定期限内可直接答复或延期。")
        event = _event(
            request,
            EventKind.LATER_DATE,
            actor,
            on,
            until=until,
            reason=reason,
        )
        _refresh_due(request, on)
        request.save(update_fields=["due_on"])
        _notify(request, event)
    return request


# Routes on which the applicant receives a notice the day it is sent (国办函〔2020〕109号第七条 counts
# the payment period from the day after receipt); for post or pick-up staff record the day.
SAME_DAY_ROUTES = (DeliveryRoute.ONLINE, DeliveryRoute.EMAIL)


def send_fee_notice(
    request, *, actor, method: str, quantity: int, on=None, received_on=None
) -> Request:
    """Art. 42: a fee by one method; the clock stops from the notice's issue until payment.

    The payment period starts from the applicant's receipt of the notice: the sending day when it
    goes online or by e-mail, otherwise `received_on` or a later `record_fee_notice_received`.
    """
    on = _date(on)
    try:
        amount = fees.compute(method, quantity)
    except ValueError as exc:
        raise WorkflowError(str(exc)) from None
    if amount <= 0:
        raise WorkflowError("按收费标准该申请不收费，无需发出收费通知。")
    with transaction.atomic():
        request = _lock(request, "fee_notice")
        if request.due_on and on > request.due_on:
            raise WorkflowError("收费通知应当在答复期限内发出。")
        if request.delivery in SAME_DAY_ROUTES and not received_on:
            received_on = on
        if received_on and not on <= received_on <= today():
            raise WorkflowError("申请人收到收费通知的日期应在发出日期与今天之间。")
        until = deadlines.fee_payment_due(received_on) if received_on else None
        request.state = State.AWAITING_PAYMENT
        request.fee_method = method
        request.fee_amount = amount
        pay_by = (
            f"请于{_day(until)}前缴纳。"
            if until
            else "请自收到本通知之日的次日起20个工作日内缴纳。"
        )
        event = _event(
            request,
            EventKind.FEE_NOTICE,
            actor,
            on,
            until=until,
            method=method,
            quantity=quantity,
            amount=str(amount),
            received_on=received_on.isoformat() if received_on else None,
        )
        settings = DocumentSettings.for_unit(request.unit)
        _issue(
            request,
            event,
            LetterKind.FEE_NOTICE,
            DocumentKind.FEE_NOTICE,
            on,
            {
                "amount": f"{amount:.2f}",
                "fee_basis": fees.standard(method, quantity),
                "account": clause(settings.fee_account),
                "pay_method": clause(settings.fee_method) or "到本机关政府信息公开工作机构缴纳",
                "pay_by": pay_by,
            },
            basis="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第七条",
        )
        _refresh_due(request, on)
        request.save(update_fields=["state", "fee_method", "fee_amount", "due_on"])
        _notify(request, event)
    return request


def fee_payment_until(request) -> dt.date | None:
    """The last day to pay, once the applicant's receipt of the notice is known."""
    event = (
        request.events.filter(
            kind__in=[EventKind.FEE_NOTICE, EventKind.FEE_NOTICE_RECEIVED], until_on__isnull=False
        )
        .order_by("created_at", "pk")
        .last()
    )
    return event.until_on if event else None


def record_fee_notice_received(request, *, actor, received_on: dt.date) -> Request:
    """The day the applicant received a posted or handed-over fee notice (the post's receipt)."""
    with transaction.atomic():
        request = _lock(request, "fee_notice_received")
        notice = request.events.filter(kind=EventKind.FEE_NOTICE).last()
        if fee_payment_until(request):
            raise WorkflowError("已登记申请人收到收费通知的日期。")
        if not notice.effective_on <= received_on <= today():
            raise WorkflowError("申请人收到收费通知的日期应在发出日期与今天之间。")
        until = deadlines.fee_payment_due(received_on)
        event = _event(
            request,
            EventKind.FEE_NOTICE_RECEIVED,
            actor,
            received_on,
            until=until,
        )
        _notify(request, event)
    return request


def record_payment(request, *, actor, on=None) -> Request:
    on = _date(on)
    with transaction.atomic():
        request = _lock(request, "record_payment")
        notice = request.events.filter(kind=EventKind.FEE_NOTICE).last()
        if on < notice.effective_on:
            raise WorkflowError("缴费日期不能早于收费通知日期。")
        request.state = State.PROCESSING
        request.fee_paid_on = on
        event = _event(request, EventKind.FEE_PAID, actor, on)
        _refresh_due(request, on)
        request.save(update_fields=["state", "fee_paid_on", "due_on"])
        _notify(request, event)
    return request


def fee_expired(request, *, actor=SYSTEM, on=None) -> Request:
    """Unpaid after 20 working days: treated as abandoned, counted as 其他处理 2."""
    on = _date(on)
    with transaction.atomic():
        request = _lock(request, "fee_expired", on)
        notice = request.events.filter(kind=EventKind.FEE_NOTICE).last()
        return _close(
            request,
            Result.OTHER_FEE_UNPAID,
            on,
            actor,
            EventKind.FEE_EXPIRED,
            fee_on=_day(notice.effective_on),
        )


def default_letter(request, result: str, agency: str = "", on=None) -> str:
    """The decision's text from the unit's template, for staff to edit before replying."""
    return documents.reply_text(request, result, _date(on), agency=clause(agency))


def reply(
    request,
    *,
    actor,
    result: str,
    legal_basis: str = "",
    letter: str = "",
    files=(),
    delivery_route: str,
    delivered_on: dt.date | None = None,
    responsible_agency: str = "",
    on=None,
) -> Request:
    """Art. 36-39: exactly one of the report's result categories, with basis, letter and files."""
    on = _date(on)
    try:
        result = Result(result)
    except ValueError:
        raise WorkflowError("请选择办理结果。") from None
    if result not in Result.for_reply():
        raise WorkflowError("逾期未补正、逾期未缴费由系统按期限终止，不能直接选择。")
    if result.discloses and not files and not letter.strip():
        raise WorkflowError("予以公开或部分公开时，请上传公开的信息或在告知书中写明获取方式。")
    if delivered_on and delivered_on < on:
        raise WorkflowError("送达日期不能早于答复日期。")
    if delivered_on and delivered_on > today():
        raise WorkflowError("送达日期不能晚于今天。")
    with transaction.atomic():
        request = _lock(request, "reply")
        if on < request.received_on:
            raise WorkflowError("答复日期不能早于收到申请日期。")
        if request.state == State.CONSULTING:
            # The consultation ends with the reply: close the pause first so the record is complete.
            _event(request, EventKind.CONSULTATION_ENDED, actor, on, public=False)
        request.state = State.REPLIED
        request.result = result
        try:
            # The staff form requires a choice where there are several (ReplyForm).
            request.legal_basis = documents.choose_basis(result, legal_basis, first_if_several=True)
        except documents.DocumentError as error:
            raise WorkflowError(str(error)) from None
        request.reply_letter = letter.strip() or default_letter(
            request, result, responsible_agency, on
        )
        request.responsible_agency = responsible_agency
        request.delivery_route = delivery_route
        request.delivered_on = delivered_on
        request.replied_on = on
        deadline = _refresh_due(request, on)
        request.workdays_taken = deadlines.workdays_taken(deadline, on)
        event = _event(
            request,
            EventKind.REPLIED,
            actor,
            on,
            result=result.value,
        )
        _issue(
            request,
            event,
            reply_kind(result),
            DocumentKind.REPLY_LETTER,
            on,
            body=request.reply_letter,
            basis=request.legal_basis,
        )
        for upload in files:
            Document.objects.create(
                request=request,
                event=event,
                kind=DocumentKind.DISCLOSED,
                title=upload.name.rsplit("/", 1)[-1][:200],
                file=upload,
            )
        request.save(
            update_fields=[
                "state",
                "result",
                "legal_basis",
                "reply_letter",
                "responsible_agency",
                "delivery_route",
                "delivered_on",
                "replied_on",
                "due_on",
                "workdays_taken",
            ]
        )
        _notify(request, event)
    return request


def withdraw(request, *, actor=None, reason="", on=None) -> Request:
    """The applicant withdraws. A received request is closed as 其他处理 3 (it was counted as 新收)."""
    on = _date(on)
    with transaction.atomic():
        request = _lock(request, "withdraw")
        fields = ["state"]
        if request.state != State.SUBMITTED:
            request.result = Result.OTHER
            request.replied_on = on
            deadline = _refresh_due(request, on)
            request.workdays_taken = deadlines.workdays_taken(deadline, on)
            fields += ["result", "replied_on", "due_on", "workdays_taken"]
        request.state = State.WITHDRAWN
        event = _event(request, EventKind.WITHDRAWN, actor, on, note=reason)
        request.save(update_fields=fields)
        _notify(request, event)
    return request


def archive(request, *, actor, note="") -> Request:
    with transaction.atomic():
        request = _lock(request, "archive")
        request.state = State.ARCHIVED
        _event(request, EventKind.ARCHIVED, actor, today(), public=False, note=note)
        request.save(update_fields=["state"])
    return request


def file_complaint(request, *, text: str) -> Complaint:
    """The applicant complains about the handling (Art. 51): the unit's superior or the
    政府信息公开工作主管部门 configured for it handles the complaint, never the unit itself."""
    if not text.strip():
        raise WorkflowError("请填写投诉内容。")
    with transaction.atomic():
        request = _locked(request)
        body = DocumentSettings.for_unit(request.unit).complaint_body
        complaint = Complaint.objects.create(request=request, text=text.strip(), handled_by=body)
        _event(request, EventKind.COMPLAINT, None, today())
        transaction.on_commit(partial(notifications.complaint_filed, complaint.pk))
    return complaint


def answer_complaint(complaint, *, actor, answer: str) -> Complaint:
    if not answer.strip():
        raise WorkflowError("请填写答复内容。")
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.state != ComplaintState.OPEN:
            raise WorkflowError("该投诉已答复。")
        complaint.state = ComplaintState.ANSWERED
        complaint.answer = answer.strip()
        complaint.answered_at = timezone.now()
        complaint.answered_by = actor
        complaint.save(update_fields=["state", "answer", "answered_at", "answered_by"])
        event = _event(
            complaint.request,
            EventKind.COMPLAINT_ANSWERED,
            actor,
            today(),
        )
        _notify(complaint.request, event)
    return complaint


def reissue_code(request, *, actor, note="") -> tuple[Request, str]:
    """A lost or leaked 查询码 is replaced: the old one stops working at once (Issue #10).

    The new code goes by e-mail when the applicant chose e-mail or online delivery and gave an
    address; otherwise it is returned once for staff to post or hand over, and never stored.
    """
    with transaction.atomic():
        request = _lock(request, "reissue_code")
        code = access_codes.new_code()
        request.access_code_hash = Request.hash_access_code(code)
        request.save(update_fields=["access_code_hash"])
        by_email = request.code_by_email
        _event(
            request,
            EventKind.CODE_REISSUED,
            actor,
            today(),
            note=note,
            by_email=by_email,
        )
        if by_email:
            transaction.on_commit(partial(notifications.new_code, request.pk, code))
    return request, code


def remind(request, on=None) -> bool:
    """Tell the unit's handlers a request is due soon; at most once per request and day."""
    on = _date(on)
    with transaction.atomic():
        request = _locked(request)
        if request.events.filter(kind=EventKind.REMINDED, effective_on=on).exists():
            return False
        _event(request, EventKind.REMINDED, SYSTEM, on, public=False)
        transaction.on_commit(partial(notifications.reminder, request.pk))
    return True


def refresh_due_date(request, on=None) -> Request:
    """Recompute the cached due date; a paused clock's provisional date moves each working day."""
    on = _date(on)
    with transaction.atomic():
        request = _locked(request)
        if request.is_open:
            old = request.due_on
            _refresh_due(request, on)
            if request.due_on != old:
                request.save(update_fields=["due_on"])
    return request
