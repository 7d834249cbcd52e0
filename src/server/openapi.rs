//! The OpenAPI 3.1 document served at `/openapi.json`: one row per route of [`super::api`],
//! with the request body each takes and who may call it. A test walks the router against this
//! table, so a route added without a description fails CI.

use serde_json::{Map, Value, json};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (probes, the schema, verification).
    Public,
    /// A logged-in user whose role allows the step.
    User,
}

/// The body a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// None.
    Empty,
    /// A JSON object of the named schema.
    Json(&'static str),
    /// Document data, `application/yaml` or `application/json`.
    Data,
    /// An uploaded PDF or DOCX, raw (`application/pdf`, or DOCX's media type).
    Upload,
}

/// One route.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// `get`, `post`, `put`.
    pub method: &'static str,
    /// The path, with `{id}`-style parameters.
    pub path: &'static str,
    /// What it does (Vietnamese first, English after the slash).
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Its body.
    pub body: Body,
    /// Its query parameters.
    pub query: &'static [&'static str],
    /// What it answers with (a media type).
    pub answers: &'static str,
}

const JSON: &str = "application/json";

const fn route(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    access: Access,
    body: Body,
) -> Route {
    Route {
        method,
        path,
        summary,
        access,
        body,
        query: &[],
        answers: JSON,
    }
}

/// Every API route.
pub const ROUTES: &[Route] = &[
    route(
        "get",
        "/healthz",
        "Trạng thái dịch vụ / service health",
        Access::Public,
        Body::Empty,
    ),
    route(
        "get",
        "/openapi.json",
        "Tài liệu này / this document",
        Access::Public,
        Body::Empty,
    ),
    route(
        "post",
        "/api/login",
        "Đăng nhập, nhận token / log in, get a token",
        Access::Public,
        Body::Json("Login"),
    ),
    route(
        "post",
        "/api/logout",
        "Đăng xuất / revoke the token",
        Access::User,
        Body::Empty,
    ),
    route(
        "get",
        "/api/me",
        "Người dùng hiện tại / current user",
        Access::User,
        Body::Empty,
    ),
    route(
        "post",
        "/api/check",
        "Kiểm tra thể thức / lint document data",
        Access::User,
        Body::Data,
    ),
    Route {
        query: &["format"],
        answers: "application/pdf",
        ..route(
            "post",
            "/api/render",
            "Dựng PDF hoặc DOCX / render PDF or DOCX",
            Access::User,
            Body::Data,
        )
    },
    Route {
        query: &["state"],
        ..route(
            "get",
            "/api/documents",
            "Danh sách văn bản / list documents",
            Access::User,
            Body::Empty,
        )
    },
    route(
        "post",
        "/api/documents",
        "Tạo dự thảo / create a draft",
        Access::User,
        Body::Json("Draft"),
    ),
    route(
        "get",
        "/api/documents/{id}",
        "Một văn bản và lỗi thể thức / one document",
        Access::User,
        Body::Empty,
    ),
    route(
        "put",
        "/api/documents/{id}",
        "Sửa dự thảo / revise a draft",
        Access::User,
        Body::Json("Draft"),
    ),
    route(
        "get",
        "/api/documents/{id}/history",
        "Lịch sử / audit entries of the document",
        Access::User,
        Body::Empty,
    ),
    Route {
        answers: "application/pdf",
        ..route(
            "get",
            "/api/documents/{id}/files/{name}",
            "Tệp: source, draft.pdf, signed.pdf, issued.pdf, document.docx",
            Access::User,
            Body::Empty,
        )
    },
    route(
        "post",
        "/api/documents/{id}/submit",
        "Trình ký / submit to the leader",
        Access::User,
        Body::Json("Step"),
    ),
    route(
        "post",
        "/api/documents/{id}/return",
        "Trả lại để sửa / return for revision",
        Access::User,
        Body::Json("Step"),
    ),
    route(
        "post",
        "/api/documents/{id}/sign",
        "Lãnh đạo ký (khóa trên máy chủ, mã PIN) / leader signs",
        Access::User,
        Body::Json("Step"),
    ),
    route(
        "post",
        "/api/documents/{id}/sign/prepare",
        "Ký ngoài: nhận băm / external signing: hash out",
        Access::User,
        Body::Json("Step"),
    ),
    route(
        "post",
        "/api/sign/complete",
        "Ký ngoài: gửi chữ ký / external signing: signature in",
        Access::User,
        Body::Json("Complete"),
    ),
    route(
        "post",
        "/api/documents/{id}/issue",
        "Văn thư cấp số, ngày, đóng dấu số và ban hành / number, date, seal, issue",
        Access::User,
        Body::Json("Step"),
    ),
    route(
        "post",
        "/api/documents/{id}/deliver",
        "Ghi đã gửi / mark delivered",
        Access::User,
        Body::Json("Step"),
    ),
    route(
        "post",
        "/api/documents/{id}/recall",
        "Thu hồi / recall",
        Access::User,
        Body::Json("Step"),
    ),
    Route {
        query: &["lang", "name"],
        ..route(
            "post",
            "/api/verify",
            "Kiểm tra chữ ký (như vanban verify --json) / verify a PDF or DOCX",
            Access::Public,
            Body::Upload,
        )
    },
    Route {
        query: &[
            "book",
            "sender",
            "number_symbol",
            "document_date",
            "summary",
            "name",
        ],
        ..route(
            "post",
            "/api/incoming",
            "Kiểm tra và vào sổ văn bản đến / verify and register as received",
            Access::User,
            Body::Upload,
        )
    },
    route(
        "post",
        "/api/register/next",
        "Lấy số tiếp theo / reserve the next number(s)",
        Access::User,
        Body::Json("Next"),
    ),
    route(
        "post",
        "/api/register/void",
        "Hủy số đã giữ / void a reserved number",
        Access::User,
        Body::Json("Void"),
    ),
    Route {
        query: &["year", "format", "org"],
        ..route(
            "get",
            "/api/register/outgoing",
            "Sổ văn bản đi (json, csv, pdf) / outgoing register",
            Access::User,
            Body::Empty,
        )
    },
    Route {
        query: &["year", "format", "org"],
        ..route(
            "get",
            "/api/register/incoming",
            "Sổ văn bản đến (json, csv, pdf) / incoming register",
            Access::User,
            Body::Empty,
        )
    },
    Route {
        query: &["after", "limit"],
        ..route(
            "get",
            "/api/audit",
            "Nhật ký / audit entries",
            Access::User,
            Body::Empty,
        )
    },
    route(
        "get",
        "/api/audit/verify",
        "Kiểm tra chuỗi băm nhật ký / verify the audit chain",
        Access::User,
        Body::Empty,
    ),
];

fn schemas() -> Value {
    let string = json!({"type": "string"});
    json!({
        "Login": {
            "type": "object", "additionalProperties": false, "required": ["user", "password"],
            "properties": {"user": string, "password": string}
        },
        "Draft": {
            "type": "object", "additionalProperties": false, "required": ["source"],
            "properties": {
                "source": {"type": "string", "description": "YAML hoặc JSON của văn bản (xem vanban schema)"},
                "format": {"enum": ["yaml", "json"]},
                "corrects": {"type": "string", "description": "mã văn bản được đính chính"},
                "version": {"type": "integer", "description": "phiên bản đã đọc (khi sửa)"}
            }
        },
        "Step": {
            "type": "object", "additionalProperties": false, "required": ["version"],
            "properties": {
                "version": {"type": "integer", "description": "phiên bản đã đọc; khác thì 409"},
                "pin": {"type": "string", "description": "mã PIN khóa ký (ký, ban hành)"},
                "note": {"type": "string", "description": "lý do (trả lại, thu hồi)"},
                "date": {"type": "string", "format": "date", "description": "ngày ban hành (mặc định hôm nay)"},
                "receipt": string,
                "certificate": {"type": "string", "description": "chứng thư PEM (ký ngoài)"}
            }
        },
        "Complete": {
            "type": "object", "additionalProperties": false, "required": ["handle", "signature"],
            "properties": {"handle": string, "signature": {"type": "string", "description": "hex hoặc base64"}, "chain": string}
        },
        "Next": {
            "type": "object", "additionalProperties": false, "required": ["book"],
            "properties": {"book": string, "year": {"type": "integer"}, "count": {"type": "integer", "minimum": 1}}
        },
        "Void": {
            "type": "object", "additionalProperties": false, "required": ["book", "year", "number", "reason"],
            "properties": {"book": string, "year": {"type": "integer"}, "number": {"type": "integer"}, "reason": string}
        },
        "Error": {
            "type": "object", "required": ["error", "message"],
            "properties": {"error": string, "message": string, "field": string}
        }
    })
}

fn operation(route: &Route) -> Value {
    let mut op = Map::new();
    op.insert("summary".into(), json!(route.summary));
    op.insert(
        "operationId".into(),
        json!(format!("{} {}", route.method, route.path)),
    );
    let mut parameters: Vec<Value> = route
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(
        route
            .query
            .iter()
            .map(|name| json!({"name": name, "in": "query", "schema": {"type": "string"}})),
    );
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    let body = match route.body {
        Body::Empty => None,
        Body::Json(schema) => Some(
            json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}),
        ),
        Body::Data => Some(json!({
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}}
        })),
        Body::Upload => Some(json!({
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": {"type": "string", "format": "binary"}}
        })),
    };
    if let Some(content) = body {
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": content}),
        );
    }
    if route.access == Access::User {
        op.insert("security".into(), json!([{"bearer": []}, {"cookie": []}]));
    } else {
        op.insert("security".into(), json!([]));
    }
    let error = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    op.insert(
        "responses".into(),
        json!({
            "200": {"description": "ok", "content": {route.answers: {}}},
            "400": {"description": "lỗi dữ liệu", "content": error["content"]},
            "401": {"description": "chưa đăng nhập"},
            "403": {"description": "không có quyền (đã ghi nhật ký)"},
            "409": {"description": "trạng thái hoặc phiên bản đã đổi"},
            "413": {"description": "quá lớn"},
            "415": {"description": "không phải PDF/DOCX"},
            "422": {"description": "JSON sai, nêu đường dẫn trường", "content": error["content"]}
        }),
    );
    Value::Object(op)
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(route.method.to_owned(), operation(route));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "vanban",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Soạn, cấp số, ký số và kiểm tra văn bản hành chính (Nghị định 30/2020/NĐ-CP)."
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": super::extract::SESSION_COOKIE}
            }
        }
    })
}
