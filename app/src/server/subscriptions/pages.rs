//! The data behind the subscription pages: whether a link is still good.

use crate::dto::bulletins::LinkKind;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::subscribers::{self as rows};
use crate::server::token::Token;

/// Whether the link's token is known (the GET pages show their button only
/// then).
pub async fn link_is_valid(
    state: &AppState,
    kind: LinkKind,
    token: &str,
) -> Result<bool, AppError> {
    if use_invalid_context() {
        return Ok(false);
    }
    let Some(token) = Token::parse(token) else {
        return Ok(false);
    };
    Ok(match kind {
        LinkKind::Confirm => rows::by_confirm_hash(&state.db, &token.hash())
            .await?
            .is_some(),
        LinkKind::Unsubscribe => rows::by_unsubscribe_hash(&state.db, &token.hash())
            .await?
            .is_some(),
    })
}

fn use_invalid_context() -> bool {
    leptos::prelude::use_context::<crate::dto::bulletins::InvalidLink>().is_some()
}
