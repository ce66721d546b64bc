//! Organising through the JSON API with personal API tokens, on SQLite and PostgreSQL: a token
//! made in the workspace acts with its owner's roles, no more, and stops at once when revoked.

use crate::support::{on_both_engines, TestApp};
use crate::workspace::{account, browser, log_in, PASSWORD};
use app::demo::UPCOMING_EDITION;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Makes a token in the workspace as `email`; returns it, as the page shows it once.
pub(crate) async fn token(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let http = browser(app);
    log_in(app, &http, email, PASSWORD).await;
    let page = http
        .post(app.url("/workspace/tokens"))
        .form(&[("name", "import des étapes")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::CREATED);
    let body = page.text().await.unwrap();
    let marker = "<code class=\"token\">";
    let at = body.find(marker).expect("the token, shown once") + marker.len();
    let token = body[at..].split('<').next().unwrap().to_owned();
    assert!(
        token.starts_with("etape_") && token.len() == 6 + 43,
        "{token}"
    );
    (http, token)
}

fn bordeaux() -> Value {
    json!({
        "city": "Bordeaux",
        "venue_name": "Darwin",
        "venue_address": "87 quai des Queyries, 33100 Bordeaux",
        "latitude": 44.85, "longitude": -0.56,
        "time_zone": "Europe/Paris",
        "theme": "Le numérique responsable",
        "capacity": 80,
        "co_organisers": [{"name": "Darwin", "website": "https://darwin.camp"}],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_acts_with_its_owners_roles_and_no_more() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Équipe", &[None]).await;
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let api = reqwest::Client::new();
        let stages = app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages"));

        let anonymous = api.post(&stages).json(&bordeaux()).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let forged = api
            .post(&stages)
            .bearer_auth(format!("etape_{}", "A".repeat(43)))
            .json(&bordeaux())
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

        let (_, national) = token(&app, "national@example.org").await;
        // The edition's days and the stage's times come from the demo edition.
        let edition: Value = api
            .get(app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let day = edition["starts_on"].as_str().expect("starts_on").to_owned();
        let mut stage = bordeaux();
        stage["starts"] = json!(format!("{day}T18:30"));
        stage["ends"] = json!(format!("{day}T17:00"));
        stage["capacity"] = json!(-3);
        let invalid = api.post(&stages).bearer_auth(&national).json(&stage).send().await.unwrap();
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = invalid.json().await.unwrap();
        assert_eq!(body["error"], "invalid");
        assert!(body["fields"]["ends"].as_str().unwrap().contains("La fin vient après le début"));
        assert!(body["fields"]["capacity"].is_string(), "{body}");

        stage["ends"] = json!(format!("{day}T22:00"));
        stage["capacity"] = json!(80);
        let created = api.post(&stages).bearer_auth(&national).json(&stage).send().await.unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        let body: Value = created.json().await.unwrap();
        assert_eq!(body["stage"], "bordeaux");
        let public = api
            .get(app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages/bordeaux")))
            .send()
            .await
            .unwrap();
        assert_eq!(public.status(), StatusCode::NOT_FOUND, "a draft stays private");

        // Lyon's token reaches Lyon only.
        let (lyon_browser, lyon) = token(&app, "lyon@example.org").await;
        let lyon_stage = app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages/lyon"));
        let current: Value = api.get(&lyon_stage).send().await.unwrap().json().await.unwrap();
        let starts = current["starts_at"].as_str().expect("starts_at")[..16].to_owned();
        let ends = current["ends_at"].as_str().expect("ends_at")[..16].to_owned();
        let mut change = json!({
            "city": "Lyon", "venue_name": current["venue"], "venue_address": current["venue_address"],
            "time_zone": current["time_zone"], "starts": starts, "ends": ends,
            "theme": "Une nouvelle question", "capacity": current["capacity"],
            "registration_opens": current["registration_opens_at"].as_str().unwrap()[..16],
            "registration_closes": current["registration_closes_at"].as_str().unwrap()[..16],
        });
        let saved = api.put(&lyon_stage).bearer_auth(&lyon).json(&change).send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::OK, "{}", saved.text().await.unwrap());
        change["city"] = json!("Paris");
        let paris = api
            .put(app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages/paris")))
            .bearer_auth(&lyon)
            .json(&change)
            .send()
            .await
            .unwrap();
        assert_eq!(paris.status(), StatusCode::NOT_FOUND);
        let added = api.post(&stages).bearer_auth(&lyon).json(&stage).send().await.unwrap();
        assert_eq!(added.status(), StatusCode::FORBIDDEN);
        let edition = api
            .post(app.url("/api/v1/editions"))
            .bearer_auth(&lyon)
            .json(&json!({"name": "La mienne", "number": 1, "starts_on": "2027-01-04", "ends_on": "2027-01-10", "theme": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(edition.status(), StatusCode::FORBIDDEN);

        // Revoked: nothing from the next request on.
        let page = lyon_browser.get(app.url("/workspace/tokens")).send().await.unwrap().text().await.unwrap();
        let at = page.find("/workspace/tokens/").expect("a revoke form");
        let revoke = page[at..].split('"').next().unwrap().to_owned();
        let done = lyon_browser.post(app.url(&revoke)).send().await.unwrap();
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let after = api.put(&lyon_stage).bearer_auth(&lyon).json(&change).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_names_the_bearer_scheme_on_the_organising_routes() {
    on_both_engines(|app| async move {
        let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        let post = &doc["paths"]["/api/v1/editions/{edition}/stages"]["post"];
        assert_eq!(post["security"][0]["bearer"], json!([]));
        assert!(doc["paths"]["/api/v1/editions/{edition}/stages/{stage}"]["put"].is_object());
        assert!(
            doc["paths"]["/api/v1/editions/{edition}/stages/{stage}"]["get"]["security"].is_null()
        );
        let lineup = &doc["paths"]["/api/v1/editions/{edition}/stages/{stage}/lineup"];
        assert_eq!(lineup["put"]["security"][0]["bearer"], json!([]));
        assert!(lineup["put"]["responses"]["412"].is_object());
        assert!(
            lineup["get"]["security"].as_array().unwrap().len() == 2,
            "anyone, or a token for a draft"
        );
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_up_is_read_and_replaced_whole_within_reach() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Équipe", &[None]).await;
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let (_, national) = token(&app, "national@example.org").await;
        let (_, lyon) = token(&app, "lyon@example.org").await;
        let api = reqwest::Client::new();
        let lineup_of = |stage: &str| {
            app.url(&format!(
                "/api/v1/editions/{UPCOMING_EDITION}/stages/{stage}/lineup"
            ))
        };

        // A public stage's line-up is anyone's to read; a draft's, only its organisers'.
        let read = api.get(lineup_of("lyon")).send().await.unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        let etag = read.headers()["etag"].to_str().unwrap().to_owned();
        let before: Value = read.json().await.unwrap();
        assert_eq!(etag, format!("\"{}\"", before["version"].as_str().unwrap()));
        assert!(!before["speakers"].as_array().unwrap().is_empty(), "{before}");
        for (who, status) in [
            (None, StatusCode::NOT_FOUND),
            (Some(&lyon), StatusCode::NOT_FOUND),
            (Some(&national), StatusCode::OK),
        ] {
            let mut request = api.get(lineup_of("grenoble"));
            if let Some(token) = who {
                request = request.bearer_auth(token);
            }
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), status, "the draft read by {who:?}");
            if status == StatusCode::NOT_FOUND {
                assert!(!answer.text().await.unwrap().contains("speakers"));
            }
        }

        // The stage's first hour, on its own clock.
        let stage: Value = api
            .get(app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages/lyon")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let opening = chrono::NaiveDateTime::parse_from_str(
            &stage["starts_at"].as_str().unwrap()[..16],
            "%Y-%m-%dT%H:%M",
        )
        .unwrap();
        let at = |minutes: &str| {
            (opening + chrono::Duration::minutes(minutes.parse().unwrap()))
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let mut lineup = json!({
            "speakers": [{"name": "Amina Diallo", "role": "Directrice, La Ruche", "bio": "**Vingt ans** d'ESS."}],
            "projects": [{
                "name": "Répar'Lyon", "holder": "Association Rebond",
                "description": "Réparer plutôt que jeter.", "link": "https://reparlyon.example.org",
                "skills_wanted": ["électronique", "communication"],
                "skills_use": "Animer un atelier par mois."
            }],
            "programme": [
                {"starts": at("00"), "duration_minutes": 20, "kind": "keynote", "title": "Ouverture", "speakers": [0]},
                {"starts": at("20"), "duration_minutes": 10, "kind": "pitch", "title": "Répar'Lyon", "projects": [0]}
            ]
        });

        // Mistakes come back named by piece, and nothing is stored.
        let mut wrong = lineup.clone();
        wrong["projects"][0]["skills_wanted"] = json!([]);
        wrong["programme"][1]["speakers"] = json!([4]);
        let invalid = api.put(lineup_of("lyon")).bearer_auth(&lyon).json(&wrong).send().await.unwrap();
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = invalid.json().await.unwrap();
        let fields = body["fields"].as_object().unwrap();
        assert!(fields["projects[0].funding_goal_eur"].as_str().unwrap().contains("financement"), "{body}");
        assert!(fields["programme[1].speakers"].is_string(), "{body}");
        wrong["programme"][0]["duration_minutes"] = json!("vingt");
        let mistyped = api.put(lineup_of("lyon")).bearer_auth(&lyon).json(&wrong).send().await.unwrap();
        let body: Value = mistyped.json().await.unwrap();
        assert!(body["fields"]["programme[0].duration_minutes"].is_string(), "{body}");

        // Out of reach: another city's stage, no token.
        let paris = api.put(lineup_of("paris")).bearer_auth(&lyon).json(&lineup).send().await.unwrap();
        assert_eq!(paris.status(), StatusCode::NOT_FOUND);
        let anonymous = api.put(lineup_of("lyon")).json(&lineup).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let unchanged: Value = api.get(lineup_of("lyon")).send().await.unwrap().json().await.unwrap();
        assert_eq!(unchanged, before);

        // Replaced, if still the version read.
        let stored = api
            .put(lineup_of("lyon"))
            .bearer_auth(&lyon)
            .header("If-Match", &etag)
            .json(&lineup)
            .send()
            .await
            .unwrap();
        assert_eq!(stored.status(), StatusCode::OK, "{}", stored.text().await.unwrap());
        let after: Value = stored.json().await.unwrap();
        assert_ne!(after["version"], before["version"]);
        assert_eq!(after["projects"][0]["skills_use"], "Animer un atelier par mois.");
        assert_eq!(after["programme"][0]["speakers"], json!([0]));
        assert_eq!(after["programme"][1]["starts"], at("20"));
        let public: Value = api.get(lineup_of("lyon")).send().await.unwrap().json().await.unwrap();
        assert_eq!(public, after, "what the PUT answered is what readers get");
        // The public page follows within the programme cache's lifetime (one second).
        let mut shown = false;
        for _ in 0..30 {
            let page = api
                .get(app.url(&format!("/{UPCOMING_EDITION}/lyon")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            shown = page.contains("<strong>Vingt ans</strong>");
            if shown {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(shown, "the public page shows the new bio, rendered");

        // A second write from the old version is refused: the organiser's change stays.
        lineup["speakers"][0]["name"] = json!("Quelqu'un d'autre");
        let stale = api
            .put(lineup_of("lyon"))
            .bearer_auth(&national)
            .header("If-Match", &etag)
            .json(&lineup)
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
        let body: Value = stale.json().await.unwrap();
        assert_eq!(body["error"], "stale");
        let kept: Value = api.get(lineup_of("lyon")).send().await.unwrap().json().await.unwrap();
        assert_eq!(kept["speakers"][0]["name"], "Amina Diallo");
        app
    })
    .await;
}
