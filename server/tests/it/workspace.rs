//! The organiser workspace over HTTP: logging in and out, sessions, and what each role sees.

use crate::support::{client, spawn_app, spawn_app_with, TestApp, TestDb};
use app::db::{accounts, editions};
use app::domain::access::Role;
use app::domain::account::NewPassword;
use app::domain::registration::Email;
use reqwest::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

pub(crate) const PASSWORD: &str = "un mot de passe assez long";

/// Creates an account with `PASSWORD` and these roles on the demo edition ("paris", "lyon"…
/// name stages; `None` makes an edition admin). Returns its address.
pub(crate) async fn account(
    app: &TestApp,
    address: &str,
    name: &str,
    stage_roles: &[Option<&str>],
) -> String {
    let hash = etape::auth::password::hash(&NewPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    let email = Email::parse(address).unwrap();
    let id = accounts::create(
        &app.db,
        accounts::NewAccount {
            email: &email,
            name,
            password_hash: &hash,
            platform_admin: false,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let edition = editions::find_edition(&app.db, app::demo::UPCOMING_EDITION)
        .await
        .unwrap()
        .unwrap();
    for stage in stage_roles {
        let role = match stage {
            None => Role::EditionAdmin {
                edition: edition.id.clone(),
            },
            Some(slug) => Role::StageOrganiser {
                edition: edition.id.clone(),
                stage: stage_id(app, &edition.id, slug).await,
            },
        };
        accounts::grant(&app.db, &id, &role, chrono::Utc::now())
            .await
            .unwrap();
    }
    address.to_owned()
}

pub(crate) async fn stage_id(app: &TestApp, edition_id: &str, slug: &str) -> String {
    let all = app::db::workspace::stages(&app.db, edition_id)
        .await
        .unwrap();
    all.into_iter()
        .find(|s| s.slug == slug)
        .expect("a demo stage")
        .id
}

pub(crate) async fn log_in(
    app: &TestApp,
    http: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    http.post(app.url("/workspace/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// A browser on the site: it keeps cookies and names its origin on every request, as
/// browsers do on a POST (a request with a login must, `csrf.rs`).
pub(crate) fn browser(app: &TestApp) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", app.url("").parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A form post with no fields (the publish buttons).
pub(crate) async fn post(app: &TestApp, http: &reqwest::Client, path: &str) -> reqwest::Response {
    http.post(app.url(path)).send().await.unwrap()
}

async fn home(app: &TestApp, http: &reqwest::Client) -> (StatusCode, Option<String>, String) {
    let response = http.get(app.url("/workspace")).send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    (status, location, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_logs_in_sees_their_stages_and_logs_out() {
    let app = spawn_app().await;
    account(&app, "lyon@example.org", "Léa Martin", &[Some("lyon")]).await;
    let http = browser(&app);

    let (status, location, _) = home(&app, &http).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(location.as_deref(), Some("/workspace/login"));

    let response = log_in(&app, &http, "  LYON@example.org ", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/workspace");
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("etape_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "served over plain HTTP: {cookie}"
    );

    let response = http.get(app.url("/workspace")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "private, no-store");
    let body = response.text().await.unwrap();
    assert!(body.contains("Bonjour, Léa Martin"), "{body}");
    assert!(body.contains("Social Good Week — démo"));
    assert!(body.contains("data-stage=\"lyon\""));
    // Other cities, and the Grenoble draft, are out of a Lyon organiser's reach.
    for other in ["paris", "lille", "nantes", "grenoble"] {
        assert!(
            !body.contains(&format!("data-stage=\"{other}\"")),
            "{other} is listed"
        );
    }
    assert!(
        !body.contains("Social Good Week 2013"),
        "an edition without a role is listed"
    );

    let response = post(&app, &http, "/workspace/logout").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/workspace/login?done=logout");
    assert!(response.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, _, _) = home(&app, &http).await;
    assert!(status.is_redirection());

    // The old cookie, replayed, opens nothing either (and with a live one, a post that does
    // not say where it comes from is refused: see the test below).
    let replay = cookie.split(';').next().unwrap().to_owned();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/workspace"))
        .header("cookie", replay)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_team_sees_every_stage_with_its_counts() {
    let app = spawn_app().await;
    account(&app, "national@example.org", "Équipe nationale", &[None]).await;
    let http = browser(&app);
    assert_eq!(
        log_in(&app, &http, "national@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (status, _, body) = home(&app, &http).await;
    assert_eq!(status, StatusCode::OK);
    for stage in ["paris", "lille", "lyon", "nantes", "grenoble"] {
        assert!(
            body.contains(&format!("data-stage=\"{stage}\"")),
            "{stage} missing"
        );
    }
    assert!(body.contains("Brouillon"), "the draft says so");
    assert!(body.contains("places prises"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let app = spawn_app().await;
    account(&app, "lyon@example.org", "Léa Martin", &[Some("lyon")]).await;
    let http = browser(&app);
    let mut answers = Vec::new();
    for (email, password) in [
        ("lyon@example.org", "not the right password"),
        ("nobody@example.org", PASSWORD),
        ("not an address", PASSWORD),
    ] {
        let response = log_in(&app, &http, email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email}");
        assert!(response.headers().get(SET_COOKIE).is_none());
        let body = response.text().await.unwrap();
        assert!(
            body.contains("Adresse e-mail ou mot de passe incorrect."),
            "{body}"
        );
        assert!(
            body.contains(&format!("value=\"{email}\"")),
            "what was typed is kept"
        );
        assert!(!body.contains(password), "the password is never sent back");
        // The page itself, without the per-response script nonces.
        let main = body
            .split("<main")
            .nth(1)
            .unwrap()
            .split("</main>")
            .next()
            .unwrap();
        answers.push(main.replace(email, "EMAIL"));
    }
    assert_eq!(answers[0], answers[1]);

    let response = log_in(&app, &http, "", "").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("Indiquez votre adresse e-mail."), "{body}");

    // Not a form at all: the page, not a bare error.
    let response = http
        .post(app.url("/workspace/login"))
        .header("content-type", "application/json")
        .body("{\"email\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Indiquez votre adresse e-mail."));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_everywhere_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    account(&app, "lyon@example.org", "Léa Martin", &[Some("lyon")]).await;
    let (laptop, phone) = (browser(&app), browser(&app));
    for http in [&laptop, &phone] {
        assert_eq!(
            log_in(&app, http, "lyon@example.org", PASSWORD)
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(home(&app, http).await.0, StatusCode::OK);
    }
    let response = post(&app, &laptop, "/workspace/logout-everywhere").await;
    assert_eq!(
        response.headers()[LOCATION],
        "/workspace/login?done=logout-everywhere"
    );
    assert!(home(&app, &phone).await.0.is_redirection());
    assert!(home(&app, &laptop).await.0.is_redirection());
    let page = laptop
        .get(app.url("/workspace/login?done=logout-everywhere"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Vous êtes déconnecté·e sur tous vos appareils."));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workspace_endpoint_answers_nobody_without_a_login() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url("/api/workspace_home"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert!(!response.status().is_success(), "{}", response.status());
    let body = response.text().await.unwrap();
    assert!(body.contains("SignedOut"), "{body}");
    assert!(!body.contains("Lyon"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_attempts_are_refused_per_account_and_per_address() {
    let limits = etape::config::LimitsConfig {
        logins_per_minute: 2,
        ..etape::config::LimitsConfig::OFF
    };
    let app = spawn_app_with(TestDb::sqlite().await, limits).await;
    account(&app, "lyon@example.org", "Léa Martin", &[Some("lyon")]).await;
    let http = browser(&app);
    for _ in 0..2 {
        let response = log_in(&app, &http, "lyon@example.org", "wrong password!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now: guessing stops here.
    let response = log_in(&app, &http, "lyon@example.org", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Réessayez dans une minute"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_posted_from_another_site_is_refused() {
    let app = spawn_app().await;
    account(&app, "lyon@example.org", "Léa Martin", &[Some("lyon")]).await;
    let response = client()
        .post(app.url("/workspace/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", "lyon@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(SET_COOKIE).is_none());
    app.stop().await;
}

pub(crate) async fn platform_admin(app: &TestApp, address: &str) {
    account(app, address, "Camille Admin", &[]).await;
    let email = Email::parse(address).unwrap();
    let found = accounts::find_by_email(&app.db, &email)
        .await
        .unwrap()
        .unwrap();
    accounts::grant(&app.db, &found.id, &Role::PlatformAdmin, chrono::Utc::now())
        .await
        .unwrap();
}

fn edition_form<'a>(name: &'a str, slug: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("slug", slug),
        ("number", "4"),
        ("starts_on", "2027-12-06"),
        ("ends_on", "2027-12-12"),
        ("theme", "Le numérique solidaire"),
        ("description", "Une semaine, dix villes."),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_platform_admin_creates_a_draft_edition_in_the_browser() {
    let app = spawn_app().await;
    platform_admin(&app, "admin@example.org").await;
    let http = browser(&app);
    log_in(&app, &http, "admin@example.org", PASSWORD).await;

    let page = http
        .get(app.url("/workspace/editions/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("en brouillon</button>"));

    // Mistakes come back beside their fields, with what was typed.
    let mut wrong = edition_form("Social Good Week 2027", "Pas Une Adresse");
    wrong[2] = ("number", "quatrième");
    wrong[4] = ("ends_on", "2027-12-01");
    let response = http
        .post(app.url("/workspace/editions/new"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("Le formulaire contient des erreurs"),
        "{body}"
    );
    assert!(body.contains("Seulement des lettres minuscules"));
    assert!(body.contains("1 pour la première, 2 pour la deuxième"));
    assert!(body.contains("Le dernier jour vient après le premier."));
    assert!(body.contains("value=\"quatrième\""));
    assert!(body.contains("value=\"Pas Une Adresse\""));
    assert!(body.contains("Une semaine, dix villes."));
    assert!(editions::find_edition(&app.db, "social-good-week-2027")
        .await
        .unwrap()
        .is_none());

    // Right, with the address left to be made from the name.
    let response = http
        .post(app.url("/workspace/editions/new"))
        .form(&edition_form("Social Good Week 2027", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[LOCATION],
        "/workspace?created=social-good-week-2027"
    );
    let stored = editions::find_edition(&app.db, "social-good-week-2027")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.edition.status, app::domain::EditionStatus::Draft);
    assert_eq!(stored.edition.number, 4);
    let body = http
        .get(app.url("/workspace?created=social-good-week-2027"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("est créée, en brouillon"), "{body}");
    assert!(body.contains("data-stage") && body.contains("Aucune étape pour l'instant"));
    // A draft: the public does not see it.
    let public = client()
        .get(app.url("/social-good-week-2027"))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);

    // The same address twice: said beside the field, nothing replaced.
    let response = http
        .post(app.url("/workspace/editions/new"))
        .form(&edition_form("Another name", "social-good-week-2027"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Une autre édition a déjà cette adresse"));
    let stored = editions::find_edition(&app.db, "social-good-week-2027")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.edition.name, "Social Good Week 2027");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_platform_admin_creates_editions() {
    let app = spawn_app().await;
    account(&app, "national@example.org", "Équipe nationale", &[None]).await;
    let http = browser(&app);
    log_in(&app, &http, "national@example.org", PASSWORD).await;

    let page = http
        .get(app.url("/workspace/editions/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Votre rôle ne permet pas cette action"));
    let response = http
        .post(app.url("/workspace/editions/new"))
        .form(&edition_form("Social Good Week 2027", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(editions::find_edition(&app.db, "social-good-week-2027")
        .await
        .unwrap()
        .is_none());

    // Nobody signed in: to the login page, nothing stored.
    let response = client()
        .post(app.url("/workspace/editions/new"))
        .form(&edition_form("Social Good Week 2027", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/workspace/login");
    assert!(editions::find_edition(&app.db, "social-good-week-2027")
        .await
        .unwrap()
        .is_none());
    app.stop().await;
}

/// The status of a public page, waiting out the one-second caches.
async fn public_status_within_caches(app: &TestApp, path: &str, wanted: StatusCode) -> StatusCode {
    let mut status = StatusCode::IM_A_TEAPOT;
    for _ in 0..30 {
        status = client().get(app.url(path)).send().await.unwrap().status();
        if status == wanted {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_team_publishes_only_within_its_reach() {
    let app = spawn_app().await;
    account(&app, "lyon@example.org", "Léa Martin", &[Some("lyon")]).await;
    account(&app, "national@example.org", "Équipe nationale", &[None]).await;
    let grenoble = "/social-good-week-demo/grenoble";
    assert_eq!(
        client()
            .get(app.url(grenoble))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // Lyon cannot publish Grenoble's draft: for Lyon it does not exist.
    let lyon = browser(&app);
    log_in(&app, &lyon, "lyon@example.org", PASSWORD).await;
    let response = post(
        &app,
        &lyon,
        "/workspace/editions/social-good-week-demo/stages/grenoble/publish",
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = post(
        &app,
        &lyon,
        "/workspace/editions/social-good-week-demo/publish",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Votre rôle ne permet pas cette action"));
    let response = post(
        &app,
        &lyon,
        "/workspace/editions/no-such-edition/stages/lyon/publish",
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        client()
            .get(app.url(grenoble))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // The national team sees a publish button for the draft and uses it.
    let national = browser(&app);
    log_in(&app, &national, "national@example.org", PASSWORD).await;
    let (_, _, body) = home(&app, &national).await;
    assert!(body.contains("Publier l'étape de Grenoble"), "{body}");
    let response = post(
        &app,
        &national,
        "/workspace/editions/social-good-week-demo/stages/grenoble/publish",
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[LOCATION],
        "/workspace?published=social-good-week-demo/grenoble"
    );
    assert_eq!(
        public_status_within_caches(&app, grenoble, StatusCode::OK).await,
        StatusCode::OK
    );
    let page = national
        .get(app.url("/workspace?published=social-good-week-demo/grenoble"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("L'étape de Grenoble est publiée"), "{page}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_edition_goes_public_when_published() {
    let app = spawn_app().await;
    platform_admin(&app, "admin@example.org").await;
    let http = browser(&app);
    log_in(&app, &http, "admin@example.org", PASSWORD).await;
    http.post(app.url("/workspace/editions/new"))
        .form(&edition_form("Social Good Week 2027", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(
        client()
            .get(app.url("/social-good-week-2027"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let response = post(
        &app,
        &http,
        "/workspace/editions/social-good-week-2027/publish",
    )
    .await;
    assert_eq!(
        response.headers()[LOCATION],
        "/workspace?published=social-good-week-2027"
    );
    assert_eq!(
        public_status_within_caches(&app, "/social-good-week-2027", StatusCode::OK).await,
        StatusCode::OK
    );
    let stored = editions::find_edition(&app.db, "social-good-week-2027")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.edition.status, app::domain::EditionStatus::Published);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_with_a_login_that_does_not_say_where_it_comes_from_is_refused() {
    let app = spawn_app().await;
    account(&app, "national@example.org", "Équipe nationale", &[None]).await;
    // A login, then used by a client that sends no Origin and no Sec-Fetch-Site.
    let response = log_in(&app, &client(), "national@example.org", PASSWORD).await;
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let session = set_cookie.split(';').next().unwrap().to_owned();
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = bare
        .post(app.url("/workspace/editions/social-good-week-demo/stages/grenoble/publish"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        client()
            .get(app.url("/social-good-week-demo/grenoble"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    // The same post from the site itself goes through.
    let response = bare
        .post(app.url("/workspace/editions/social-good-week-demo/stages/grenoble/publish"))
        .header("cookie", &session)
        .header("origin", app.url(""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}
