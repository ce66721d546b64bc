//! `/workspace/editions/{edition}/stages/{stage}/preview`: a stage as the public will see it,
//! draft or not, for its organisers only; a banner says it is a preview and how to leave it.

use super::home::GoToLogin;
use crate::api::workspace::get_stage_preview;
use crate::components::error_notice::ErrorNotice;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::pages::stage::StageContent;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StagePreviewPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let key = move || {
        let params = params.read();
        (
            params.get("edition").unwrap_or_default(),
            params.get("stage").unwrap_or_default(),
        )
    };
    let preview = Resource::new(key, |(edition, stage)| get_stage_preview(edition, stage));
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(stage) => {
                        let (edition, slug) = key();
                        let back = paths::workspace_stage(&edition, &slug);
                        view! {
                            <p class="preview-banner" role="status">
                                {locale.workspace().preview_banner} " "
                                <a href=back>{locale.workspace().preview_back}</a>
                            </p>
                            <StageContent stage preview=true/>
                        }
                        .into_any()
                    }
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
