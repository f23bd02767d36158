"""What every form people fill in shares: one message per problem, in Chinese."""

from django import forms


class OneMessagePerField(forms.BaseForm):
    """Each field reports its first problem only, and length limits speak Chinese.

    Without this a 5,000-character name got Django's "too long" and then "please fill in" (the
    value was dropped after the first error), and the summary counted one problem but listed two.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    f"{field.label}最多{field.max_length}个字，现有%(show_value)d个，请删减。"
                )

    def add_error(self, field, error):
        if field is not None and field in self.errors:
            return  # this field already says what is wrong with it
        super().add_error(field, error)

    def full_clean(self):
        super().full_clean()
        for name, errors in (self._errors or {}).items():
            if name != forms.forms.NON_FIELD_ERRORS:
                del errors[1:]

    @property
    def problem_count(self) -> int:
        return sum(len(errors) for errors in self.errors.values())
