"""The staff actions on a message: each names its states, permission, form and workflow step."""

from collections.abc import Callable
from dataclasses import dataclass, field

from interaction import admin_forms as forms
from interaction import privacy, workflow
from interaction.models import MessageState

HANDLE = "interaction.change_message"
REVIEW = "interaction.review_reply"
OPEN_FOR_HANDLING = (MessageState.SUBMITTED, MessageState.ACCEPTED)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    states: tuple
    form: type
    run: Callable
    perm: str = HANDLE
    help: str = ""
    applies: Callable = field(default=lambda message: True)
    initial: Callable = field(default=lambda message: {})

    def available(self, message) -> bool:
        return message.state in self.states and self.applies(message)


def _publish_initial(message) -> dict:
    if message.is_published:
        return {
            "public_subject": message.public_subject,
            "public_text": message.public_text,
            "public_reply": message.public_reply,
            "is_faq": message.is_faq,
        }
    return {
        "public_subject": privacy.scrub(message.subject, message),
        "public_text": privacy.scrub(message.text, message),
        "public_reply": privacy.scrub(message.reply, message),
    }


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "accept",
            "受理",
            (MessageState.SUBMITTED,),
            forms.NoteForm,
            lambda m, u, d: workflow.accept(m, actor=u, note=d["note"]),
        ),
        Action(
            "reply",
            "答复",
            OPEN_FOR_HANDLING,
            forms.ReplyForm,
            lambda m, u, d: workflow.reply(m, actor=u, text=d["text"]),
            help="本单位设置了答复审核的，答复经审核员同意后才发送给留言人。",
        ),
        Action(
            "transfer",
            "转办",
            OPEN_FOR_HANDLING,
            forms.TransferForm,
            lambda m, u, d: workflow.transfer(m, actor=u, to_unit=d["to_unit"], note=d["note"]),
            help="转至有权办理的单位；答复期限仍自原受理日期起算。",
        ),
        Action(
            "reject",
            "不予受理",
            OPEN_FOR_HANDLING,
            forms.RejectForm,
            lambda m, u, d: workflow.reject(m, actor=u, reason=d["reason"], note=d["note"]),
        ),
        Action(
            "approve",
            "审核通过并发送",
            (MessageState.REVIEW,),
            forms.ApproveForm,
            lambda m, u, d: workflow.approve_reply(m, actor=u, text=d["text"]),
            perm=REVIEW,
            initial=lambda m: {"text": m.draft_reply},
        ),
        Action(
            "return",
            "退回修改",
            (MessageState.REVIEW,),
            forms.RequiredNoteForm,
            lambda m, u, d: workflow.return_reply(m, actor=u, note=d["note"]),
            perm=REVIEW,
        ),
        Action(
            "publish",
            "公开",
            (MessageState.REPLIED,),
            forms.PublishForm,
            lambda m, u, d: workflow.publish(
                m,
                actor=u,
                public_subject=d["public_subject"],
                public_text=d["public_text"],
                public_reply=d["public_reply"],
                is_faq=d["is_faq"],
            ),
            help="仅公开经编辑、已删除个人信息的内容；留言人的姓名和联系方式不会公开。",
            applies=lambda m: m.consent_publish,
            initial=_publish_initial,
        ),
        Action(
            "unpublish",
            "取消公开",
            (MessageState.REPLIED,),
            forms.RequiredNoteForm,
            lambda m, u, d: workflow.unpublish(m, actor=u, note=d["note"]),
            applies=lambda m: m.is_published,
        ),
    ]
}
