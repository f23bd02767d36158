"""The API's declarations: each endpoint with its parameters and the shape of its answer.

The views are registered here with `@endpoint(...)`, the serialisers build exactly the declared
objects (a test checks every answer against its declaration), and `openapi()` turns the
registry into the OpenAPI 3.1 document served at /api/v1/openapi.json and shown at /api/v1/docs/.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    type: str  # OpenAPI type, or the name of a declared object, or "array"
    description: str
    nullable: bool = False
    items: str | None = None  # the items' type or object name, for arrays
    format: str | None = None


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    type: str = "string"
    where: str = "query"
    required: bool = False


@dataclass
class Endpoint:
    path: str  # OpenAPI form: /api/v1/entries/{id}/
    summary: str
    response: str  # the name of a declared object
    params: list[Param] = field(default_factory=list)
    description: str = ""


OBJECTS: dict[str, dict[str, Field]] = {}
ENDPOINTS: list[Endpoint] = []


def declare(object_name: str, /, **fields: Field) -> str:
    OBJECTS[object_name] = fields
    return object_name


def declare_page(object_name: str, /, items: str, described: str, **fields: Field) -> str:
    """A page of a cursor-paginated list of `items`: `fields` first (a count), then the link to
    the next page and the results."""
    return declare(
        object_name,
        **fields,
        next=Field(
            "string", "下一页地址（游标分页），最后一页为 null", nullable=True, format="uri"
        ),
        results=Field("array", described, items=items),
    )


def endpoint(path: str, summary: str, response: str, params=(), description: str = ""):
    def decorator(view):
        ENDPOINTS.append(Endpoint(path, summary, response, list(params), description))
        view.api_response = response
        return view

    return decorator


def _schema(type_: str, field: Field | None = None) -> dict:
    if type_ in OBJECTS:
        schema = {"$ref": f"#/components/schemas/{type_}"}
    elif type_ == "array":
        schema = {"type": "array", "items": _schema(field.items)}
    else:
        schema = {"type": type_}
        if field is not None and field.format:
            schema["format"] = field.format
    if field is not None:
        if field.nullable:
            schema = {"anyOf": [schema, {"type": "null"}]}
        schema["description"] = field.description
    return schema


def openapi(base_url: str) -> dict:
    paths = {}
    for item in ENDPOINTS:
        parameters = [
            {
                "name": param.name,
                "in": param.where,
                "required": param.required or param.where == "path",
                "description": param.description,
                "schema": {"type": param.type},
            }
            for param in item.params
        ]
        paths[item.path] = {
            "get": {
                "summary": item.summary,
                "description": item.description,
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "成功",
                        "content": {"application/json": {"schema": _schema(item.response)}},
                    },
                    "304": {"description": "未修改（If-None-Match / If-Modified-Since）"},
                    "400": {"description": "参数错误", "content": _error()},
                    "404": {"description": "不存在或未公开", "content": _error()},
                    "429": {"description": "请求过于频繁", "content": _error()},
                },
            }
        }
    schemas = {
        name: {
            "type": "object",
            "properties": {key: _schema(f.type, f) for key, f in fields.items()},
            "required": list(fields),
        }
        for name, fields in OBJECTS.items()
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "政府信息公开平台开放接口",
            "version": "1",
            "description": "只读接口：发布机构、主动公开目录、年度报告、依申请公开统计数据、"
            "办事指南和互动交流（公开的留言及答复、意见征集）。"
            "只提供已公开的信息，不含任何个人信息。",
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _error() -> dict:
    return {
        "application/json": {
            "schema": {"type": "object", "properties": {"error": {"type": "string"}}}
        }
    }


def conforms(value, type_: str) -> list[str]:
    """Where `value` departs from the declared `type_` (for the tests), as messages."""
    problems = []
    if type_ in OBJECTS:
        fields = OBJECTS[type_]
        if not isinstance(value, dict) or set(value) != set(fields):
            return [f"{type_}: keys {sorted(value) if isinstance(value, dict) else value!r}"]
        for key, f in fields.items():
            if value[key] is None:
                if not f.nullable:
                    problems.append(f"{type_}.{key} is null")
                continue
            if f.type == "array":
                if not isinstance(value[key], list):
                    problems.append(f"{type_}.{key} is not a list")
                for item in value[key] if isinstance(value[key], list) else []:
                    problems += conforms(item, f.items)
            else:
                problems += [f"{type_}.{key}: {p}" for p in conforms(value[key], f.type)]
        return problems
    python = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "object": dict,
    }[type_]
    if not isinstance(value, python) or (type_ == "integer" and isinstance(value, bool)):
        problems.append(f"{value!r} is not {type_}")
    return problems
