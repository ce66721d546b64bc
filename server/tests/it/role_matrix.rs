//! Every role × every action × objects inside and outside its reach, through the three ways in:
//! the workspace's pages and form posts, its server functions, and the JSON API with a token.
//!
//! What each role may do is written here from the issue's words, not read from
//! `domain::access`: a change to the rule that widens or narrows a reach fails this test. An
//! allowed action is sent with input that fails validation (or a stale version), so that
//! getting past the access check shows as 422 (409) and nothing changes between rows; a refused
//! one must answer 404 when the object is out of the person's sight and 403 when it is only
//! out of their hands — never the data.

use crate::api_organising::token;
use crate::support::{on_both_engines, TestApp};
use crate::workspace::{account, PASSWORD};
use app::db::accounts;
use app::demo::{PAST_EDITION, UPCOMING_EDITION};
use app::domain::account::NewPassword;
use app::domain::registration::Email;
use reqwest::{Method, StatusCode};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Platform,
    /// Edition admin of the upcoming edition.
    National,
    /// Organiser of the upcoming edition's Lyon stage.
    Lyon,
    /// An account with no role at all.
    Nobody,
}

/// What an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    CreateEdition,
    SeeEdition,
    EditEdition,
    AddStage,
    ManageEditionAdmins,
    SeeStage,
    EditStage,
    ManageStageOrganisers,
    /// Reading a line-up through the API: anyone for a public stage.
    ReadLineup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Page,
    ServerFunction,
    Api,
}

#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    /// A form with these fields.
    Form(&'static [(&'static str, &'static str)]),
    /// The server function's arguments: the edition, and the stage when there is one.
    Arguments,
    /// The team form inviting someone (with an address that is none) to the object's role.
    Invite,
    Json(&'static str),
}

struct Check {
    channel: Channel,
    reach: Reach,
    method: Method,
    /// The path for an edition and (stage checks) a stage.
    path: fn(&str, &str) -> String,
    body: Body,
    /// What an allowed request answers.
    allowed: StatusCode,
}

const THIS: &str = UPCOMING_EDITION;
const OTHER: &str = PAST_EDITION;

/// The stages the checks open: Lyon (public), Grenoble (a draft) and last time's Lyon.
const STAGES: [(&str, &str); 3] = [(THIS, "lyon"), (THIS, "grenoble"), (OTHER, "lyon")];

fn public(edition: &str, stage: &str) -> bool {
    !(edition == THIS && stage == "grenoble")
}

fn sees_edition(who: Who, edition: &str) -> bool {
    match who {
        Who::Platform => true,
        Who::National | Who::Lyon => edition == THIS,
        Who::Nobody => false,
    }
}

fn sees_stage(who: Who, edition: &str, stage: &str) -> bool {
    match who {
        Who::Platform => true,
        Who::National => edition == THIS,
        Who::Lyon => edition == THIS && stage == "lyon",
        Who::Nobody => false,
    }
}

/// The issue's rule: the platform admin everything; an edition admin everything in their
/// edition; a stage organiser their stage's content, line-up, publishing and team, and the
/// sight of their edition; nobody else anything.
fn may(who: Who, reach: Reach, edition: &str, stage: &str) -> bool {
    match reach {
        Reach::CreateEdition => who == Who::Platform,
        Reach::SeeEdition => sees_edition(who, edition),
        Reach::EditEdition | Reach::AddStage | Reach::ManageEditionAdmins => {
            who == Who::Platform || (who == Who::National && edition == THIS)
        }
        Reach::SeeStage | Reach::EditStage | Reach::ManageStageOrganisers => {
            sees_stage(who, edition, stage)
        }
        Reach::ReadLineup => public(edition, stage) || sees_stage(who, edition, stage),
    }
}

/// 404 for what the person may not even see, 403 for the rest.
fn refusal(who: Who, reach: Reach, edition: &str, stage: &str) -> StatusCode {
    let visible = match reach {
        Reach::CreateEdition => true,
        Reach::SeeEdition | Reach::EditEdition | Reach::AddStage | Reach::ManageEditionAdmins => {
            sees_edition(who, edition)
        }
        Reach::SeeStage | Reach::EditStage | Reach::ManageStageOrganisers | Reach::ReadLineup => {
            sees_stage(who, edition, stage)
        }
    };
    if visible {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::NOT_FOUND
    }
}

fn check(
    channel: Channel,
    reach: Reach,
    method: Method,
    path: fn(&str, &str) -> String,
    body: Body,
    allowed: StatusCode,
) -> Check {
    Check {
        channel,
        reach,
        method,
        path,
        body,
        allowed,
    }
}

#[rustfmt::skip] // a table: one check per line
fn without_object() -> Vec<Check> {
    use Channel::*;
    vec![
        check(Page, Reach::CreateEdition, Method::GET, |_, _| "/workspace/editions/new".into(), Body::None, StatusCode::OK),
        check(ServerFunction, Reach::CreateEdition, Method::POST, |_, _| "/api/workspace_edition_form".into(), Body::None, StatusCode::OK),
        check(Page, Reach::CreateEdition, Method::POST, |_, _| "/workspace/editions/new".into(), Body::Form(&[("name", "")]), StatusCode::UNPROCESSABLE_ENTITY),
        check(Api, Reach::CreateEdition, Method::POST, |_, _| "/api/v1/editions".into(), Body::Json("{}"), StatusCode::UNPROCESSABLE_ENTITY),
    ]
}

#[rustfmt::skip] // a table: one check per line
fn on_an_edition() -> Vec<Check> {
    use Channel::*;
    vec![
        check(Page, Reach::EditEdition, Method::GET, |e, _| format!("/workspace/editions/{e}"), Body::None, StatusCode::OK),
        check(ServerFunction, Reach::EditEdition, Method::POST, |_, _| "/api/workspace_edition".into(), Body::Arguments, StatusCode::OK),
        check(Page, Reach::EditEdition, Method::POST, |e, _| format!("/workspace/editions/{e}"), Body::Form(&[("name", "")]), StatusCode::UNPROCESSABLE_ENTITY),
        check(Page, Reach::EditEdition, Method::POST, |e, _| format!("/workspace/editions/{e}/publish"), Body::None, StatusCode::SEE_OTHER),
        check(Api, Reach::EditEdition, Method::PUT, |e, _| format!("/api/v1/editions/{e}"), Body::Json("{}"), StatusCode::UNPROCESSABLE_ENTITY),
        check(Page, Reach::AddStage, Method::GET, |e, _| format!("/workspace/editions/{e}/stages/new"), Body::None, StatusCode::OK),
        check(ServerFunction, Reach::AddStage, Method::POST, |_, _| "/api/workspace_stage".into(), Body::Arguments, StatusCode::OK),
        check(Page, Reach::AddStage, Method::POST, |e, _| format!("/workspace/editions/{e}/stages/new"), Body::Form(&[("city", "")]), StatusCode::UNPROCESSABLE_ENTITY),
        check(Api, Reach::AddStage, Method::POST, |e, _| format!("/api/v1/editions/{e}/stages"), Body::Json("{}"), StatusCode::UNPROCESSABLE_ENTITY),
        check(Page, Reach::SeeEdition, Method::GET, |e, _| format!("/workspace/editions/{e}/team"), Body::None, StatusCode::OK),
        check(ServerFunction, Reach::SeeEdition, Method::POST, |_, _| "/api/workspace_team".into(), Body::Arguments, StatusCode::OK),
        check(Page, Reach::ManageEditionAdmins, Method::POST, |e, _| format!("/workspace/editions/{e}/team"), Body::Invite, StatusCode::UNPROCESSABLE_ENTITY),
    ]
}

#[rustfmt::skip] // a table: one check per line
fn on_a_stage() -> Vec<Check> {
    use Channel::*;
    vec![
        check(Page, Reach::SeeStage, Method::GET, |e, s| format!("/workspace/editions/{e}/stages/{s}"), Body::None, StatusCode::OK),
        check(Page, Reach::SeeStage, Method::GET, |e, s| format!("/workspace/editions/{e}/stages/{s}/preview"), Body::None, StatusCode::OK),
        check(Page, Reach::SeeStage, Method::GET, |e, s| format!("/workspace/editions/{e}/stages/{s}/lineup"), Body::None, StatusCode::OK),
        check(ServerFunction, Reach::SeeStage, Method::POST, |_, _| "/api/workspace_stage".into(), Body::Arguments, StatusCode::OK),
        check(ServerFunction, Reach::SeeStage, Method::POST, |_, _| "/api/workspace_lineup".into(), Body::Arguments, StatusCode::OK),
        check(ServerFunction, Reach::SeeStage, Method::POST, |_, _| "/api/workspace_stage_preview".into(), Body::Arguments, StatusCode::OK),
        check(Api, Reach::ReadLineup, Method::GET, |e, s| format!("/api/v1/editions/{e}/stages/{s}/lineup"), Body::None, StatusCode::OK),
        check(Page, Reach::EditStage, Method::POST, |e, s| format!("/workspace/editions/{e}/stages/{s}"), Body::Form(&[("city", "")]), StatusCode::UNPROCESSABLE_ENTITY),
        check(Page, Reach::EditStage, Method::POST, |e, s| format!("/workspace/editions/{e}/stages/{s}/lineup"),
            Body::Form(&[("part", "speaker"), ("op", "add"), ("version", "not-the-version"), ("name", "Quelqu'un")]), StatusCode::CONFLICT),
        check(Page, Reach::EditStage, Method::POST, |e, s| format!("/workspace/editions/{e}/stages/{s}/cancel"), Body::Form(&[("reason", "")]), StatusCode::UNPROCESSABLE_ENTITY),
        check(Api, Reach::EditStage, Method::PUT, |e, s| format!("/api/v1/editions/{e}/stages/{s}"), Body::Json("{}"), StatusCode::UNPROCESSABLE_ENTITY),
        check(Api, Reach::EditStage, Method::PUT, |e, s| format!("/api/v1/editions/{e}/stages/{s}/lineup"), Body::Json(r#"{"speakers": [{}]}"#), StatusCode::UNPROCESSABLE_ENTITY),
        check(Page, Reach::ManageStageOrganisers, Method::POST, |e, _| format!("/workspace/editions/{e}/team"), Body::Invite, StatusCode::UNPROCESSABLE_ENTITY),
        check(Page, Reach::EditStage, Method::GET, |e, s| format!("/workspace/editions/{e}/stages/{s}/doors"), Body::None, StatusCode::OK),
        check(ServerFunction, Reach::EditStage, Method::POST, |_, _| "/api/workspace_doors".into(), Body::Arguments, StatusCode::OK),
        check(Page, Reach::EditStage, Method::POST, |e, s| format!("/workspace/editions/{e}/stages/{s}/doors"), Body::Form(&[("label", "")]), StatusCode::UNPROCESSABLE_ENTITY),
    ]
}

/// Publishing is checked on public stages only: allowed on a draft, it would publish it.
fn publishing() -> Check {
    check(
        Channel::Page,
        Reach::EditStage,
        Method::POST,
        |e, s| format!("/workspace/editions/{e}/stages/{s}/publish"),
        Body::None,
        StatusCode::SEE_OTHER,
    )
}

/// A person, signed in (pages and server functions) and holding an API token.
struct Person {
    who: Who,
    browser: reqwest::Client,
    token: String,
}

async fn platform_admin(app: &TestApp, address: &str) {
    let hash = etape::auth::password::hash(&NewPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    accounts::create(
        &app.db,
        accounts::NewAccount {
            email: &Email::parse(address).unwrap(),
            name: "Plateforme",
            password_hash: &hash,
            platform_admin: true,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
}

async fn people(app: &TestApp) -> Vec<Person> {
    platform_admin(app, "platform@example.org").await;
    account(app, "national@example.org", "Camille", &[None]).await;
    account(app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
    account(app, "nobody@example.org", "Personne", &[]).await;
    let mut people = Vec::new();
    for (who, address) in [
        (Who::Platform, "platform@example.org"),
        (Who::National, "national@example.org"),
        (Who::Lyon, "lyon@example.org"),
        (Who::Nobody, "nobody@example.org"),
    ] {
        let (browser, token) = token(app, address).await;
        people.push(Person {
            who,
            browser,
            token,
        });
    }
    people
}

/// Sends one check as `person` on the edition (and stage); returns the status and the body.
async fn send(
    app: &TestApp,
    person: &Person,
    check: &Check,
    edition: &str,
    stage: Option<&str>,
) -> (StatusCode, String) {
    let path = (check.path)(edition, stage.unwrap_or(""));
    let client = match check.channel {
        Channel::Api => reqwest::Client::new(),
        Channel::Page | Channel::ServerFunction => person.browser.clone(),
    };
    let mut request = client.request(check.method.clone(), app.url(&path));
    if check.channel == Channel::Api {
        request = request.bearer_auth(&person.token);
    }
    request = match check.body {
        Body::None => request,
        Body::Form(fields) => request.form(fields),
        Body::Arguments => {
            let mut fields = vec![("edition", edition)];
            fields.extend(stage.map(|stage| ("stage", stage)));
            request.form(&fields)
        }
        Body::Invite => request.form(&[
            ("email", "pas-une-adresse"),
            ("role", stage.unwrap_or("edition")),
        ]),
        Body::Json(json) => request
            .header("content-type", "application/json")
            .body(json),
    };
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Runs a check for every person on one object and returns the mismatches, described.
async fn run(
    app: &TestApp,
    people: &[Person],
    check: &Check,
    edition: &str,
    stage: Option<&str>,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for person in people {
        let (status, body) = send(app, person, check, edition, stage).await;
        let stage_slug = stage.unwrap_or("");
        let row = format!(
            "{:?} {:?} {} {} on {edition}/{stage_slug} ({:?})",
            person.who,
            check.channel,
            check.method,
            (check.path)(edition, stage_slug),
            check.reach
        );
        let allowed = may(person.who, check.reach, edition, stage_slug);
        if allowed {
            if status != check.allowed {
                wrong.push(format!(
                    "{row}: allowed, expected {} but got {status}",
                    check.allowed
                ));
            }
            continue;
        }
        let expected = refusal(person.who, check.reach, edition, stage_slug);
        let refused_as_expected = match check.channel {
            // A server function's error travels as its serialised `AppError`, with its status.
            Channel::ServerFunction => {
                let name = if expected == StatusCode::NOT_FOUND {
                    "NotFound"
                } else {
                    "Forbidden"
                };
                status == expected && body.contains(name)
            }
            Channel::Page | Channel::Api => status == expected,
        };
        if !refused_as_expected {
            wrong.push(format!(
                "{row}: refused, expected {expected} but got {status}"
            ));
        }
        if !public(edition, stage_slug) && body.contains("Casemate") {
            wrong.push(format!("{row}: the refusal shows the draft's venue"));
        }
    }
    wrong
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_reaches_exactly_its_objects_through_every_way_in() {
    on_both_engines(|app| async move {
        let people = people(&app).await;
        let mut wrong = Vec::new();
        let mut rows = 0;
        for check in without_object() {
            wrong.extend(run(&app, &people, &check, THIS, None).await);
            rows += people.len();
        }
        for edition in [THIS, OTHER] {
            for check in on_an_edition() {
                wrong.extend(run(&app, &people, &check, edition, None).await);
                rows += people.len();
            }
        }
        for (edition, stage) in STAGES {
            let mut checks = on_a_stage();
            if public(edition, stage) {
                checks.push(publishing());
            }
            for check in checks {
                wrong.extend(run(&app, &people, &check, edition, Some(stage)).await);
                rows += people.len();
            }
        }
        assert!(rows > 250, "the matrix has {rows} rows");
        assert!(
            wrong.is_empty(),
            "{} of {rows} rows wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        // Nothing above changed anything: the draft is still a draft.
        let draft = reqwest::get(app.url(&format!("/{THIS}/grenoble")))
            .await
            .unwrap();
        assert_eq!(draft.status(), StatusCode::NOT_FOUND);
        app
    })
    .await;
}
