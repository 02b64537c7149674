//! The bodies the client itself reads and writes: the API's error answer and the OAuth token
//! endpoint's request and answer. (Settings bodies are built and read from the resource table:
//! [`mfactl_core::live::read`], [`mfactl_core::plan::requests`].)

use serde::{Deserialize, Serialize};

use mfactl_core::secret::Secret;

/// (De)serializes an `Option<Secret>` as an optional JSON string.
pub mod secret_field {
    use serde::{Deserialize, Deserializer, Serializer};

    use mfactl_core::secret::Secret;

    pub fn serialize<S: Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(secret) => s.serialize_some(secret.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }
}

/// The API's error answer: `{"statusCode":403,"error":"Forbidden","message":"…","errorCode":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub message: Option<String>,
    pub error_code: Option<String>,
    /// The token endpoint's OAuth error fields.
    #[serde(rename = "error_description")]
    pub error_description: Option<String>,
}

/// The token endpoint's answer.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    #[serde(with = "secret_field", default)]
    pub access_token: Option<Secret>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// The token endpoint's request for the client-credentials grant.
#[derive(Serialize)]
pub struct ClientCredentialsRequest<'a> {
    pub grant_type: &'static str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub audience: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_parses() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:guardian_factors","errorCode":"insufficient_scope"}"#,
        )
        .unwrap();
        assert_eq!(body.error_code.as_deref(), Some("insufficient_scope"));
    }
}
