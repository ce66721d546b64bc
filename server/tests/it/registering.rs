//! Registering through the pages, as a browser without JavaScript does: the form, "my
//! registration", the ticket and its QR code, cancelling, "lost my link", and the guards
//! (cross-site forms, rate limits).

use crate::support::{client, spawn_app, spawn_app_with, TestApp, TestDb};
use app::db::{editions, ticket_keys};
use etape::config::LimitsConfig;
use reqwest::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, LOCATION, ORIGIN, REFERRER_POLICY};
use reqwest::{Response, StatusCode};

const LYON: &str = "/social-good-week-demo/lyon";

async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    language: &str,
) -> Response {
    client
        .post(app.url(path))
        .header(ACCEPT_LANGUAGE, language)
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn register(app: &TestApp, name: &str, email: &str) -> Response {
    post_form(
        &client(),
        app,
        &format!("{LYON}/register"),
        &[("name", name), ("email", email), ("consent", "true")],
        "fr",
    )
    .await
}

/// Registers and follows the redirect's path: the private "my registration" page.
async fn register_and_manage_path(app: &TestApp, name: &str, email: &str) -> String {
    let response = register(app, name, email).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/registrations/"), "{location}");
    location
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let response = client().get(app.url(path)).send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap())
}

fn ticket_path(manage_page: &str) -> String {
    let start = manage_page.find("href=\"/tickets/").expect("a ticket link") + 6;
    let end = start + manage_page[start..].find('"').unwrap();
    manage_page[start..end].to_owned()
}

fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let side = info.width as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_registers_without_javascript_and_gets_a_ticket_that_verifies() {
    let app = spawn_app().await;
    let manage = register_and_manage_path(&app, "Camille Durand", "camille@example.org").await;

    let (status, headers, page) = get(&app, &manage).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CACHE_CONTROL], "private, no-store");
    assert_eq!(headers[REFERRER_POLICY], "no-referrer");
    assert!(page.contains("Camille Durand"));
    assert!(page.contains("data-status=\"confirmed\""));

    let ticket = ticket_path(&page);
    let (status, headers, ticket_page) = get(&app, &ticket).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CACHE_CONTROL], "private, no-store");
    assert!(ticket_page.contains(&format!("src=\"{ticket}/qr.svg\"")));
    assert!(ticket_page.contains("Vieux Lyon"));
    assert!(ticket_page.contains("calendar.google.com"));
    assert!(
        !ticket_page.contains("/cancel"),
        "a ticket page cannot cancel"
    );

    let png = client()
        .get(app.url(&format!("{ticket}/qr.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    let code = decode_qr(&png.bytes().await.unwrap());
    let edition = editions::find_edition(&app.db, "social-good-week-demo")
        .await
        .unwrap()
        .unwrap();
    let keys = ticket_keys::list_public_keys(&app.db, &edition.id)
        .await
        .unwrap();
    assert!(
        keys[0].verify(&code).is_ok(),
        "the QR holds a signed ticket"
    );
    let (status, headers, svg) = get(&app, &format!("{ticket}/qr.svg")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_form_comes_back_with_messages_beside_the_fields_and_nothing_lost() {
    let app = spawn_app().await;
    let response = post_form(
        &client(),
        &app,
        &format!("{LYON}/register"),
        &[
            ("name", "Dominique <Martin>"),
            ("email", "dominique@"),
            ("organisation", "Les Petits Débrouillards"),
        ],
        "en-GB,en;q=0.9",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.headers()[CACHE_CONTROL], "private, no-store");
    let page = response.text().await.unwrap();
    assert!(page.contains("Some fields need correcting."));
    assert!(page.contains("This is not a valid email address"));
    assert!(page.contains("Tick the box to accept the use of your data"));
    // What was typed is back in the fields, escaped.
    let form = &page[page.find("<form").unwrap()..];
    assert!(
        form.contains("value=\"Dominique &lt;Martin&gt;\""),
        "name kept: {form}"
    );
    assert!(page.contains("value=\"dominique@\""), "email kept");
    assert!(page.contains("value=\"Les Petits Débrouillards\""));
    assert!(!page.contains("<Martin>"));
    let stored = app::db::registrations::list_by_email(
        &app.db,
        &app::domain::registration::Email::parse("dominique@example.org").unwrap(),
    )
    .await
    .unwrap();
    assert!(stored.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_twice_says_so_without_showing_the_private_links() {
    let app = spawn_app().await;
    register_and_manage_path(&app, "Camille", "camille@example.org").await;
    let again = register(&app, "Someone Else", " CAMILLE@example.org").await;
    assert_eq!(again.status(), StatusCode::OK);
    let page = again.text().await.unwrap();
    assert!(page.contains("déjà inscrite"));
    assert!(
        !page.contains("/registrations/"),
        "no private link for whoever typed the address"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_ticket_is_no_longer_valid_and_the_seat_goes_to_the_waiting_list() {
    let test_db = TestDb::sqlite().await;
    let app = spawn_app_with(test_db, LimitsConfig::OFF).await;
    // Fill Lyon: one seat left, then one person waiting.
    let stage_id = lyon_stage_id(&app).await;
    sqlx_fill(&app, &stage_id, 119).await;
    let first = register_and_manage_path(&app, "Première", "premiere@example.org").await;
    let second = register_and_manage_path(&app, "Seconde", "seconde@example.org").await;
    let (_, _, waiting) = get(&app, &second).await;
    assert!(waiting.contains("data-status=\"waitlisted\""));
    assert!(waiting.contains("premier ou la première sur la liste d'attente"));

    let (_, _, page) = get(&app, &first).await;
    let ticket = ticket_path(&page);
    // One tap on "cancel" only leads to the step that says what happens.
    assert!(page.contains(&format!("href=\"{first}/cancel\"")));
    let (status, _, step) = get(&app, &format!("{first}/cancel")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(step.contains("Votre place ira à la première personne en liste d'attente"));
    assert!(step.contains("name=\"confirm\""));
    let unconfirmed = client()
        .post(app.url(&format!("{first}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(unconfirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        unconfirmed.headers()["location"].to_str().unwrap(),
        format!("{first}/cancel")
    );
    let (_, _, page) = get(&app, &first).await;
    assert!(
        page.contains("data-status=\"confirmed\""),
        "nothing changed"
    );

    let cancel = client()
        .post(app.url(&format!("{first}/cancel")))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::SEE_OTHER);
    let done = cancel.headers()["location"].to_str().unwrap().to_owned();
    let (_, _, page) = get(&app, &done).await;
    assert!(page.contains("data-status=\"cancelled\""));
    assert!(page.contains("C'est fait"));
    // The stage is full again (the seat went to the waiting list): registering again says so.
    assert!(page.contains("Rejoindre la liste d'attente"));
    assert!(page.contains("/social-good-week-demo/lyon#register"));
    let (status, _, ticket_page) = get(&app, &ticket).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ticket_page.contains("Ce billet est annulé"));
    assert!(!ticket_page.contains("qr.svg"));
    let (status, _, _) = get(&app, &format!("{ticket}/qr.png")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, _, promoted) = get(&app, &second).await;
    assert!(promoted.contains("data-status=\"confirmed\""));
    assert!(promoted.contains("Bonne nouvelle\u{a0}: une place s'est libérée pour vous"));
    assert!(!page.contains("Bonne nouvelle"));
    app.stop().await;
}

async fn lyon_stage_id(app: &TestApp) -> String {
    let edition = editions::find_edition(&app.db, "social-good-week-demo")
        .await
        .unwrap()
        .unwrap();
    app::db::stages::find_public_stage(&app.db, &edition.id, "lyon")
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Takes `n` seats at the stage through storage, quicker than through HTTP.
async fn sqlx_fill(app: &TestApp, stage_id: &str, n: usize) {
    sqlx_fill_from(app, stage_id, 0, n).await;
}

/// `sqlx_fill`, with addresses numbered from `from`, to fill in several steps.
async fn sqlx_fill_from(app: &TestApp, stage_id: &str, from: usize, n: usize) {
    for i in from..from + n {
        let id = app::db::new_id();
        let attendee = app::domain::registration::Attendee {
            name: format!("Personne {i}"),
            email: app::domain::registration::Email::parse(&format!("p{i}@example.org")).unwrap(),
            organisation: None,
        };
        app::db::registrations::register(
            &app.db,
            app::db::registrations::NewRegistration {
                id: &id,
                stage_id,
                attendee: &attendee,
                language: app::i18n::Locale::Fr,
                confirm_token_hash: "",
                feed_salt: None,
                now: chrono::Utc::now(),
            },
        )
        .await
        .unwrap();
    }
}

/// The stage page, its card on the edition page and the JSON API say how full the stage is
/// before anyone types. `?look=n`: each look is a new address for the one-second page cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_says_how_full_it_is_before_anyone_types_on_both_engines() {
    crate::support::on_both_engines(|app| async move {
        let stage_id = lyon_stage_id(&app).await;
        let (_, _, page) = get(&app, &format!("{LYON}?look=1")).await;
        assert!(page.contains("Inscriptions ouvertes"), "120 free seats");
        assert!(!page.contains("Plus que"));
        assert!(page.contains(">M'inscrire</button>"));

        sqlx_fill_from(&app, &stage_id, 0, 116).await;
        // Seat counts are read at most once per `cache::TTL`, so they may be that far behind.
        tokio::time::sleep(app::api::cache::TTL + std::time::Duration::from_millis(100)).await;
        let (_, _, page) = get(&app, &format!("{LYON}?look=2")).await;
        assert!(page.contains("Plus que 4\u{a0}places"));
        let (_, _, edition) = get(&app, "/social-good-week-demo?look=2").await;
        assert!(edition.contains("Plus que 4\u{a0}places"));
        let stage = api_json(&app, "/api/v1/editions/social-good-week-demo/stages/lyon").await;
        assert_eq!(stage["availability"], "few_seats_left");
        assert_eq!(stage["seats_left"], 4);
        // Counted once per `cache::TTL`, not per request: within it, a page with a new query
        // string (past the page cache) reads no registration at all.
        let rename =
            |from: &str, to: &str| app::db::sql(format!("ALTER TABLE {from} RENAME TO {to}"));
        app.db
            .execute(rename("registrations", "registrations_elsewhere"))
            .await
            .unwrap();
        let (_, _, page) = get(&app, &format!("{LYON}?look=2b")).await;
        app.db
            .execute(rename("registrations_elsewhere", "registrations"))
            .await
            .unwrap();
        assert!(
            page.contains("Plus que 4\u{a0}places"),
            "counted from the cache"
        );

        // Full, with two people waiting: said, and the button says what it does.
        sqlx_fill_from(&app, &stage_id, 116, 6).await;
        tokio::time::sleep(app::api::cache::TTL + std::time::Duration::from_millis(100)).await;
        let (_, _, page) = get(&app, &format!("{LYON}?look=3")).await;
        assert!(page.contains("Complet · liste d'attente (2\u{a0}personnes)"));
        assert!(page.contains(">Rejoindre la liste d'attente</button>"));
        assert!(page.contains("derrière 2\u{a0}personnes"));
        let english = client()
            .get(app.url(&format!("{LYON}?look=3")))
            .header(ACCEPT_LANGUAGE, "en")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(english.contains("Full · waiting list (2\u{a0}people)"));
        assert!(english.contains(">Join the waiting list</button>"));
        let stage = api_json(&app, "/api/v1/editions/social-good-week-demo/stages/lyon").await;
        assert_eq!(stage["availability"], "full");
        assert_eq!(stage["seats_left"], 0);
        assert_eq!(stage["waiting"], 2);
        let edition = api_json(&app, "/api/v1/editions/social-good-week-demo").await;
        let lyon = edition["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|stage| stage["slug"] == "lyon")
            .unwrap();
        assert_eq!(lyon["availability"], "full");
        assert_eq!(lyon["waiting"], 2);
        app
    })
    .await;
}

async fn api_json(app: &TestApp, path: &str) -> serde_json::Value {
    let response = client().get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_from_another_site_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url(&format!("{LYON}/register")))
        .header(ORIGIN, "https://evil.example")
        .header(ACCEPT_LANGUAGE, "en")
        .form(&[
            ("name", "Victim"),
            ("email", "victim@example.org"),
            ("consent", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("another site"));
    let stored = app::db::registrations::list_by_email(
        &app.db,
        &app::domain::registration::Email::parse("victim@example.org").unwrap(),
    )
    .await
    .unwrap();
    assert!(stored.is_empty());
    // The same form from the site itself goes through.
    let origin = format!("http://{}", app.address);
    let ok = client()
        .post(app.url(&format!("{LYON}/register")))
        .header(ORIGIN, origin)
        .form(&[
            ("name", "Victim"),
            ("email", "victim@example.org"),
            ("consent", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_over_its_registration_limit_is_told_to_wait() {
    let limits = LimitsConfig {
        registrations_per_minute: 2,
        lost_links_per_minute: 1,
        logins_per_minute: 0,
        emails_per_address_per_minute: 0,
        trust_proxy: 0,
    };
    let app = spawn_app_with(TestDb::sqlite().await, limits).await;
    for n in 0..2 {
        register_and_manage_path(&app, "Quelqu'un", &format!("q{n}@example.org")).await;
    }
    let third = register(&app, "Quelqu'un", "q3@example.org").await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(third.text().await.unwrap().contains("Trop de tentatives"));

    let lost = |email: &'static str| {
        let app = &app;
        async move {
            post_form(&client(), app, "/lost-link", &[("email", email)], "fr")
                .await
                .status()
        }
    };
    assert_eq!(lost("q0@example.org").await, StatusCode::OK);
    assert_eq!(lost("q0@example.org").await, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_inbox_gets_its_share_however_many_clients_ask_for_its_links() {
    // Behind one proxy of ours, each request from its own client address, every one of them
    // within its own limits: the address they all type still gets two emails a minute.
    let limits = LimitsConfig {
        registrations_per_minute: 1,
        lost_links_per_minute: 1,
        logins_per_minute: 0,
        emails_per_address_per_minute: 2,
        trust_proxy: 1,
    };
    let app = spawn_app_with(TestDb::sqlite().await, limits).await;
    register_and_manage_path(&app, "Camille", "camille@example.org").await;
    let camille = [
        ("name", "Camille"),
        ("email", "camille@example.org"),
        ("consent", "true"),
    ];
    for n in 0..4 {
        // An IPv6 client in its own /64, then an IPv4 one.
        let lost = client_request(
            &app,
            "/lost-link",
            &camille[1..2],
            format!("2001:db8:{n}::1"),
        )
        .await;
        assert_eq!(lost.status(), StatusCode::OK, "client {n}");
        let register = format!("{LYON}/register");
        let again = client_request(&app, &register, &camille, format!("198.51.100.{n}")).await;
        assert_eq!(again.status(), StatusCode::OK, "client {n}");
    }
    // The lost links' emails are queued after their answers: wait for them, then a moment more
    // for any that should not be there.
    outbox_when(&app, "camille@example.org", 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let emails = outbox_for(&app, "camille@example.org").await;
    let subjects: Vec<&str> = emails.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(
        emails.len(),
        1 + 2,
        "the confirmation, then two more: {subjects:?}"
    );

    // Each client's own limit still holds: the same /64 a second time is told to wait.
    let other = [("email", "other@example.org")];
    let same_64 = client_request(&app, "/lost-link", &other, "2001:db8:0:0:ffff::9".into()).await;
    assert_eq!(same_64.status(), StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

/// A form posted by the client at `address`, as our proxy tells it.
async fn client_request(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    address: String,
) -> Response {
    client()
        .post(app.url(path))
        .header(ACCEPT_LANGUAGE, "fr")
        .header("x-forwarded-for", address)
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_link_answers_the_same_for_known_and_unknown_addresses() {
    let app = spawn_app().await;
    register_and_manage_path(&app, "Camille", "camille@example.org").await;
    let known = post_form(
        &client(),
        &app,
        "/lost-link",
        &[("email", "camille@example.org")],
        "fr",
    )
    .await;
    let unknown = post_form(
        &client(),
        &app,
        "/lost-link",
        &[("email", "nobody@example.org")],
        "fr",
    )
    .await;
    assert_eq!(known.status(), StatusCode::OK);
    assert_eq!(unknown.status(), StatusCode::OK);
    let (known, unknown) = (known.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(known.contains("Si cette adresse est inscrite"));
    let main = |page: &str| {
        let start = page.find("<main").unwrap();
        page[start..page.find("</main>").unwrap()].to_owned()
    };
    assert_eq!(
        main(&known).replace("camille@example.org", "X"),
        main(&unknown).replace("nobody@example.org", "X"),
        "the two answers differ only by the address typed"
    );
    let bad = post_form(
        &client(),
        &app,
        "/lost-link",
        &[("email", "pas une adresse")],
        "fr",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("value=\"pas une adresse\""));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_private_links_are_not_found() {
    let app = spawn_app().await;
    for path in [
        "/registrations/nope",
        "/registrations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/qr.png",
        "/tickets/x/qr.gif",
        // The shape of a link that carries its registration, with a MAC this site did not make.
        "/registrations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/qr.png",
    ] {
        let (status, _, _) = get(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let cancel = client()
        .post(app.url("/registrations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/cancel"))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_carry_the_registration_and_links_sent_before_still_open_it() {
    let app = spawn_app().await;
    let manage = register_and_manage_path(&app, "Camille Durand", "camille@example.org").await;
    let token = manage.trim_start_matches("/registrations/");
    assert_eq!(token.len(), 64, "{manage}");
    let (status, _, page) = get(&app, &manage).await;
    assert_eq!(status, StatusCode::OK);
    let ticket = ticket_path(&page);
    assert_eq!(get(&app, &ticket).await.0, StatusCode::OK);

    // Nothing of either token is stored.
    let (id, manage_hash, ticket_hash): (String, Option<String>, Option<String>) = app
        .db
        .fetch_one(app::db::sql(
            "SELECT id, manage_token_hash, ticket_token_hash FROM registrations \
             WHERE email = 'camille@example.org'",
        ))
        .await
        .unwrap();
    assert_eq!(manage_hash, None);
    assert_eq!(ticket_hash, None);

    // A link of the old shape, whose hash the row stored, still opens the registration.
    let (old_manage, old_ticket) = ("M".repeat(43), "T".repeat(43));
    app.db
        .execute(
            app::db::sql(
                "UPDATE registrations SET manage_token_hash = $2, ticket_token_hash = $3 \
                 WHERE id = $1",
            )
            .bind(&id)
            .bind(app::links::token_hash(&old_manage))
            .bind(app::links::token_hash(&old_ticket)),
        )
        .await
        .unwrap();
    let (status, _, page) = get(&app, &format!("/registrations/{old_manage}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Camille Durand"));
    let (status, _, _) = get(&app, &format!("/tickets/{old_ticket}")).await;
    assert_eq!(status, StatusCode::OK);
    // The old ticket link does not open the registration's page.
    let (status, _, _) = get(&app, &format!("/registrations/{old_ticket}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A link whose id or MAC was changed by one character opens nothing.
    for at in [0, 40] {
        let mut forged = token.to_owned().into_bytes();
        forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        let (status, _, _) = get(&app, &format!("/registrations/{forged}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{forged}");
    }
    app.stop().await;
}

/// The emails queued for `email`, once there are at least `want` of them or five seconds
/// have passed: "lost my link" queues its email after answering.
async fn outbox_when(app: &TestApp, email: &str, want: usize) -> Vec<app::mail::OutgoingEmail> {
    for _ in 0..100 {
        let mails = outbox_for(app, email).await;
        if mails.len() >= want {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    outbox_for(app, email).await
}

async fn outbox_for(app: &TestApp, email: &str) -> Vec<app::mail::OutgoingEmail> {
    crate::support::emails_to(&app.desk, email).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_of_a_registration_sends_its_email_in_the_attendee_language() {
    let app = spawn_app_with(TestDb::sqlite().await, LimitsConfig::OFF).await;
    let stage_id = lyon_stage_id(&app).await;
    sqlx_fill(&app, &stage_id, 119).await;
    let first = register_and_manage_path(&app, "Première", "premiere@example.org").await;
    let english = post_form(
        &client(),
        &app,
        &format!("{LYON}/register"),
        &[
            ("name", "Second"),
            ("email", "second@example.org"),
            ("consent", "true"),
        ],
        "en",
    )
    .await;
    assert_eq!(english.status(), StatusCode::SEE_OTHER);

    let mails = outbox_for(&app, "premiere@example.org").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.starts_with("Inscription confirmée"));
    assert!(
        mails[0].text.contains(&app.url(&first)),
        "the manage link is in the email"
    );
    let code = mails[0]
        .ticket_code
        .as_deref()
        .expect("a QR code for the ticket");
    assert!(code.starts_with("ET1"));
    let waiting = outbox_for(&app, "second@example.org").await;
    assert_eq!(waiting.len(), 1);
    assert!(
        waiting[0].subject.starts_with("Waiting list"),
        "{}",
        waiting[0].subject
    );
    assert!(waiting[0].ticket_code.is_none());

    // Registering again re-sends the links to the address, not to whoever typed it.
    register(&app, "Imposteur", "premiere@example.org").await;
    let mails = outbox_for(&app, "premiere@example.org").await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].text.contains(&app.url(&first)));

    client()
        .post(app.url(&format!("{first}/cancel")))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    let mails = outbox_for(&app, "premiere@example.org").await;
    assert!(
        mails[2].subject.starts_with("Inscription annulée"),
        "{}",
        mails[2].subject
    );
    let promoted = outbox_for(&app, "second@example.org").await;
    assert_eq!(promoted.len(), 2);
    assert!(
        promoted[1].subject.starts_with("A seat is yours"),
        "{}",
        promoted[1].subject
    );
    assert!(promoted[1].ticket_code.is_some());

    post_form(
        &client(),
        &app,
        "/lost-link",
        &[("email", "second@example.org")],
        "en",
    )
    .await;
    let links = outbox_when(&app, "second@example.org", 3).await;
    assert_eq!(links.len(), 3);
    assert!(links[2].text.contains("/registrations/"));
    assert!(outbox_for(&app, "nobody@example.org").await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hydrated_form_reads_the_json_api_answer_by_its_field_names() {
    // What `RegistrationFormEnhancer` sends: the form's fields and the page's language, as
    // JSON, from the page itself (same origin). It reads `message`, `fields` by the form's
    // input names, and the receipt's links, with the browser's JSON parser.
    let app = spawn_app().await;
    let url = app.url("/api/v1/editions/social-good-week-demo/stages/lyon/registrations");
    let send = |email: &str, consent: bool| {
        client()
            .post(&url)
            .header("sec-fetch-site", "same-origin")
            .json(&serde_json::json!({
                "name": "Camille",
                "email": email,
                "organisation": "",
                "consent": consent,
                "language": "fr",
            }))
            .send()
    };
    let refused = send("not-an-address", false).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["message"], "Certains champs sont à corriger.");
    let fields = body["fields"].as_object().expect("fields");
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["consent", "email"]);
    assert!(fields["email"]
        .as_str()
        .unwrap()
        .starts_with("Cette adresse e-mail n'est pas valide"));

    let ok = send("camille@example.org", true).await.unwrap();
    assert_eq!(ok.status(), StatusCode::CREATED);
    let receipt: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(receipt["status"], "confirmed");
    assert_eq!(receipt["already_registered"], false);
    assert!(receipt["manage_url"]
        .as_str()
        .unwrap()
        .starts_with(&app.url("/registrations/")));
    assert!(receipt["ticket_url"].is_string());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raising_the_capacity_confirms_the_waiting_list_and_emails_their_tickets() {
    let test_db = TestDb::sqlite().await;
    let url = test_db.storage();
    let app = spawn_app_with(test_db, LimitsConfig::OFF).await;
    let stage_id = lyon_stage_id(&app).await;
    sqlx_fill(&app, &stage_id, 120).await;
    let waiting = register_and_manage_path(&app, "En attente", "attente@example.org").await;
    let confirmed = etape::admin::change_capacity(
        &url,
        "https://etape.example",
        "social-good-week-demo",
        "lyon",
        121,
    )
    .await
    .unwrap();
    assert_eq!(confirmed, 1);
    let (_, _, page) = get(&app, &waiting).await;
    assert!(page.contains("data-status=\"confirmed\""));
    let mails = outbox_for(&app, "attente@example.org").await;
    assert!(
        mails[1].subject.starts_with("Une place s'est libérée"),
        "{}",
        mails[1].subject
    );
    assert!(mails[1].text.contains("https://etape.example/tickets/"));
    assert!(
        etape::admin::change_capacity(&url, "http://x", "nope", "lyon", 3)
            .await
            .is_err()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_cancels_a_registration_by_its_address() {
    let test_db = TestDb::sqlite().await;
    let url = test_db.storage();
    let app = spawn_app_with(test_db, LimitsConfig::OFF).await;
    let manage = register_and_manage_path(&app, "Camille", "camille@example.org").await;
    let cancel = |email: &'static str| {
        let url = url.clone();
        async move {
            etape::admin::cancel_registration(
                &url,
                "http://x",
                "social-good-week-demo",
                "lyon",
                email,
            )
            .await
        }
    };
    cancel(" Camille@Example.org").await.unwrap();
    let (_, _, page) = get(&app, &manage).await;
    assert!(page.contains("data-status=\"cancelled\""));
    let mails = outbox_for(&app, "camille@example.org").await;
    assert!(mails
        .last()
        .unwrap()
        .subject
        .starts_with("Inscription annulée"));
    assert!(cancel("nobody@example.org").await.is_err());
    assert!(cancel("not an address").await.is_err());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_the_mailer_would_refuse_is_refused_at_the_form() {
    let app = spawn_app().await;
    // Our own syntax rule lets these through; lettre, which would send the email, does not.
    for address in ["jean..dupont@example.org", ".camille@example.org"] {
        assert!(app::domain::registration::Email::parse(address).is_ok());
        assert!(address.parse::<lettre::Address>().is_err());
        let refused = register(&app, "Jean Dupont", address).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{address}"
        );
        let page = refused.text().await.unwrap();
        assert!(page.contains("adresse e-mail"), "said in French: {address}");
        assert!(
            page.contains(&format!("value=\"{address}\"")),
            "kept as typed"
        );
        let lost = post_form(&client(), &app, "/lost-link", &[("email", address)], "fr").await;
        assert_eq!(lost.status(), StatusCode::UNPROCESSABLE_ENTITY, "{address}");
    }
    let stored = app::db::registrations::list_by_email(
        &app.db,
        &app::domain::registration::Email::parse("jean..dupont@example.org").unwrap(),
    )
    .await
    .unwrap();
    assert!(stored.is_empty());

    // The same person typing the accent another way is the same address.
    let first = register(&app, "Élise", "e\u{301}lise@example.org").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let again = register(&app, "Élise", "\u{e9}lise@example.org").await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "already registered, not a second seat"
    );
    app.stop().await;
}
