//! Organisers' descriptions, bios and pitches: Markdown, rendered on the server to HTML that can
//! only format text. Whatever an organiser types (a script, an event handler, a `javascript:`
//! link, an iframe, an SVG), the page receives paragraphs, emphasis, lists, quotes and plain
//! links, nothing else. Feeds and emails keep the Markdown source as plain text.

use serde::{Deserialize, Serialize};

/// Formatting HTML made from Markdown by [`RichText::render`] (server only), safe to put in a
/// page as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichText {
    html: String,
}

impl RichText {
    pub fn html(&self) -> &str {
        &self.html
    }

    pub fn is_empty(&self) -> bool {
        self.html.trim().is_empty()
    }
}

#[cfg(feature = "ssr")]
impl RichText {
    /// Renders `markdown` and keeps only the formatting elements; links open outside, marked
    /// as user content.
    pub fn render(markdown: &str) -> Self {
        use pulldown_cmark::{html, Options, Parser};
        let mut options = Options::empty();
        options.insert(Options::ENABLE_STRIKETHROUGH);
        let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
        let html = ammonia::Builder::empty()
            .add_tags([
                "p",
                "br",
                "strong",
                "em",
                "del",
                "ul",
                "ol",
                "li",
                "blockquote",
                "code",
                "pre",
                "a",
                "h3",
                "h4",
            ])
            .add_tag_attributes("a", ["href"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener nofollow ugc"))
            .clean(&unsafe_html)
            .to_string();
        RichText { html }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::RichText;

    fn html(markdown: &str) -> String {
        RichText::render(markdown).html().to_owned()
    }

    #[test]
    fn markdown_formats_paragraphs_emphasis_lists_and_links() {
        let out =
            html("Une **soirée** pour *tous*.\n\n- un\n- deux\n\n[Le site](https://example.org)");
        assert!(
            out.contains("<p>Une <strong>soirée</strong> pour <em>tous</em>.</p>"),
            "{out}"
        );
        assert!(out.contains("<li>un</li>"), "{out}");
        assert!(
            out.contains(
                "<a href=\"https://example.org\" rel=\"noopener nofollow ugc\">Le site</a>"
            ),
            "{out}"
        );
    }

    #[test]
    fn scripts_and_styles_never_survive() {
        for attack in [
            "<script>alert(1)</script>",
            "<style>body{display:none}</style>",
            "<ScRiPt src=//evil.example/x.js></ScRiPt>",
            "```\n</code></pre><script>alert(1)</script>\n```",
        ] {
            let out = html(attack);
            let lower = out.to_lowercase();
            assert!(!lower.contains("<script"), "{attack} → {out}");
            assert!(!lower.contains("<style"), "{attack} → {out}");
        }
    }

    #[test]
    fn javascript_and_data_links_lose_their_address() {
        for attack in [
            "[clic](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">clic</a>",
            "[clic](JaVaScRiPt:alert(1))",
            "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"&#106;avascript:alert(1)\">clic</a>",
        ] {
            let out = html(attack);
            assert!(
                !out.to_lowercase().contains("javascript:"),
                "{attack} → {out}"
            );
            assert!(!out.contains("data:"), "{attack} → {out}");
            assert!(out.contains("clic"), "the words stay: {out}");
        }
    }

    #[test]
    fn event_handlers_iframes_and_svg_are_removed() {
        for attack in [
            "<p onclick=\"alert(1)\">texte</p>",
            "<img src=x onerror=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)><script>alert(2)</script></svg>",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<details open ontoggle=alert(1)>",
        ] {
            let out = html(attack).to_lowercase();
            for banned in [
                "onclick",
                "onerror",
                "onload",
                "ontoggle",
                "<iframe",
                "<svg",
                "<img",
                "javascript:",
                "<math",
            ] {
                assert!(!out.contains(banned), "{attack} → {out}");
            }
        }
    }

    #[test]
    fn plain_text_is_escaped_not_interpreted() {
        assert_eq!(html("a < b & c > d"), "<p>a &lt; b &amp; c &gt; d</p>\n");
        assert!(RichText::render("   ").is_empty());
    }
}
