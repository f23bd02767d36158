"""The application form's field list (Art. 29), shared by the online form and the printable PDF."""

from applications.models import DeliveryRoute, IdType, Medium, OrganisationKind

PERSON_FIELDS = [
    ("person_name", "姓名"),
    ("id_type", "证件类型"),
    ("id_number", "证件号码"),
    ("employer", "工作单位"),
    ("person_address", "通信地址"),
    ("postcode", "邮政编码"),
    ("person_phone", "联系电话"),
    ("person_email", "电子邮箱"),
]
ORGANISATION_FIELDS = [
    ("org_name", "名称"),
    ("organisation_kind", "组织类别"),
    ("credit_code", "统一社会信用代码"),
    ("legal_representative", "法定代表人"),
    ("contact_person", "联系人"),
    ("contact_phone", "联系人电话"),
    ("org_email", "电子邮箱"),
    ("org_address", "通信地址"),
]
INFO_FIELDS = [
    ("info_title", "所需信息名称"),
    ("info_doc_number", "文号"),
    ("info_description", "所需信息的特征性描述"),
    ("purpose", "所需信息的用途（选填）"),
]
DELIVERY_FIELDS = [
    ("medium", "获取信息的载体形式"),
    ("delivery", "获取信息的方式"),
]

SECTIONS = [
    ("申请人信息（公民）", PERSON_FIELDS),
    ("申请人信息（法人或其他组织）", ORGANISATION_FIELDS),
    ("所需信息情况", INFO_FIELDS),
    ("信息的提供方式", DELIVERY_FIELDS),
]

LABELS = {name: label for _, fields in SECTIONS for name, label in fields}

# Options printed on the paper form as tick boxes.
OPTIONS = {
    "id_type": IdType.labels,
    "organisation_kind": OrganisationKind.labels,
    "medium": Medium.labels,
    "delivery": DeliveryRoute.labels,
}

# Form field -> Request field, per applicant type.
PERSON_MAP = {
    "person_name": "name",
    "id_type": "id_type",
    "id_number": "id_number",
    "employer": "employer",
    "person_address": "address",
    "postcode": "postcode",
    "person_phone": "phone",
    "person_email": "email",
}
ORGANISATION_MAP = {
    "org_name": "name",
    "organisation_kind": "organisation_kind",
    "credit_code": "credit_code",
    "legal_representative": "legal_representative",
    "contact_person": "contact_person",
    "contact_phone": "phone",
    "org_email": "email",
    "org_address": "address",
}
REQUIRED_PERSON = ["person_name", "id_type", "id_number", "person_address", "person_phone"]
REQUIRED_ORGANISATION = [
    "org_name",
    "organisation_kind",
    "credit_code",
    "contact_person",
    "contact_phone",
    "org_address",
]

DECLARATION = "本人（本单位）承诺所提供的信息真实、有效，并对申请内容的真实性负责。"
