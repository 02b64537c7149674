//! `prompts.<prompt>.<language>`: custom texts of the MFA prompts of Universal Login.
//! `GET/PUT /prompts/{prompt}/custom-text/{language}` (scopes `read:prompts`, `update:prompts`).
//!
//! The PUT replaces that prompt and language's whole object and answers with it; a prompt and
//! language never set reads back `{}` (terraform-provider-auth0's `TestAccPromptCustomText`
//! cassette, vendored under `tests/fixtures/recordings/`).

use crate::model::{EnumInfo, MfaPrompt};
use crate::resource::{
    ExportRule, FieldSpec, Keys, ReadSpec, ResourceSpec, Semantics, Shape, WriteSpec,
};

const PATH: &str = "/prompts/{prompt}/custom-text/{language}";

/// The languages Universal Login texts can be customised in (node-auth0's
/// `PutCustomTextByLanguageLanguageEnum`).
pub static LANGUAGES: EnumInfo = EnumInfo {
    name: "Language",
    what: "language",
    doc: "A language Universal Login texts can be customised in.",
    values: &[
        ("am", ""),
        ("ar", ""),
        ("ar-EG", ""),
        ("ar-SA", ""),
        ("az", ""),
        ("bg", ""),
        ("bn", ""),
        ("bs", ""),
        ("ca-ES", ""),
        ("cnr", ""),
        ("cs", ""),
        ("cy", ""),
        ("da", ""),
        ("de", ""),
        ("el", ""),
        ("en", ""),
        ("en-CA", ""),
        ("es", ""),
        ("es-419", ""),
        ("es-AR", ""),
        ("es-MX", ""),
        ("et", ""),
        ("eu-ES", ""),
        ("fa", ""),
        ("fi", ""),
        ("fr", ""),
        ("fr-CA", ""),
        ("fr-FR", ""),
        ("gl-ES", ""),
        ("gu", ""),
        ("he", ""),
        ("hi", ""),
        ("hr", ""),
        ("hu", ""),
        ("hy", ""),
        ("id", ""),
        ("is", ""),
        ("it", ""),
        ("ja", ""),
        ("ka", ""),
        ("kk", ""),
        ("kn", ""),
        ("ko", ""),
        ("lt", ""),
        ("lv", ""),
        ("mk", ""),
        ("ml", ""),
        ("mn", ""),
        ("mr", ""),
        ("ms", ""),
        ("my", ""),
        ("nb", ""),
        ("nl", ""),
        ("nn", ""),
        ("no", ""),
        ("pa", ""),
        ("pl", ""),
        ("pt", ""),
        ("pt-BR", ""),
        ("pt-PT", ""),
        ("ro", ""),
        ("ru", ""),
        ("sk", ""),
        ("sl", ""),
        ("so", ""),
        ("sq", ""),
        ("sr", ""),
        ("sv", ""),
        ("sw", ""),
        ("ta", ""),
        ("te", ""),
        ("th", ""),
        ("tl", ""),
        ("tr", ""),
        ("uk", ""),
        ("ur", ""),
        ("vi", ""),
        ("zgh", ""),
        ("zh-CN", ""),
        ("zh-HK", ""),
        ("zh-TW", ""),
    ],
};

pub static PROMPT_TEXTS: ResourceSpec = ResourceSpec {
    schema_name: "PromptTexts",
    doc: "Custom texts of the MFA prompts, by prompt and language: `{screen: {text_id: text}}`. \
          Only the prompts and languages listed are managed; a language's texts replace all of \
          that prompt's custom texts in that language (`{}` removes them).",
    shape: Shape::Value,
    keys: Keys::PromptLanguage {
        prompts: &MfaPrompt::INFO,
        languages: &LANGUAGES,
    },
    semantics: Semantics::Overwrite,
    export: ExportRule::UnlessBlank,
    ..ResourceSpec::new(
        "prompts",
        &["prompts"],
        Some(ReadSpec::get(PATH, "read:prompts")),
        WriteSpec::put(PATH, "update:prompts"),
        &[FieldSpec::texts("texts")
            .api("")
            .doc("Texts by screen, then by text id.")],
    )
};
