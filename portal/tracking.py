"""The tracking session: a citizen opens their case with its number and 查询码.

The code never travels in a URL: the look-up is a POST, and a successful one keeps the case's id
in the session for the pages that follow. A process (依申请公开, a future 互动交流) has its own
session key, so a visitor can follow one case of each.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from portal.forms import OneMessagePerField
from portal.validators import normalise


@dataclass(frozen=True)
class TrackingSession:
    key: str

    def log_in(self, request, queryset, number: str, code: str):
        """The case numbered `number` when `code` opens it, remembered in the session; else None.

        An unknown number and a wrong code give the same answer, so nothing can be probed.
        """
        found = queryset.filter(number=number).first()
        if found is None or not found.check_access_code(code):
            return None
        if request.session.session_key:
            # A visitor who already had a session gets a new key (no fixation); a new session
            # gets a fresh key anyway, in one write instead of two.
            request.session.cycle_key()
        request.session[self.key] = found.pk
        return found

    def get(self, request, queryset):
        """The case this visitor opened, or None."""
        pk = request.session.get(self.key)
        if not pk:
            return None
        return queryset.filter(pk=pk).first()

    def log_out(self, request) -> None:
        request.session.pop(self.key, None)


def lookup_form(noun: str, prefix: str) -> type[forms.Form]:
    """The look-up form of a process whose cases (`noun`: 申请, 留言) are numbered
    `prefix`-year-serial."""
    example = f"{prefix}-2026-000123"
    number_re = re.compile(rf"^{re.escape(prefix)}-\d{{4}}-\d{{6}}$")

    class LookupForm(OneMessagePerField, forms.Form):
        number = forms.CharField(
            label=f"{noun}编号",
            max_length=20,
            help_text=f"例如：{example}",
            error_messages={"required": f"请输入{noun}编号。"},
        )
        code = forms.CharField(
            label="查询码",
            max_length=40,
            help_text=f"提交{noun}时页面显示的12位查询码，例如：ABCD-EFGH-JKMN",
            error_messages={"required": "请输入查询码。"},
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )

        def clean_number(self):
            number = normalise(self.cleaned_data["number"])
            if not number_re.match(number):
                raise ValidationError(f"{noun}编号格式为 {prefix}-年份-6位序号，例如 {example}。")
            return number

    return LookupForm
