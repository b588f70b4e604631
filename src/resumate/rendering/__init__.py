"""Resume rendering: Typst templates to PDF/PNG, and the public HTML page."""

from resumate.rendering.pdf import (
    PageOutOfRange,
    RenderedPdf,
    RenderError,
    TemplateError,
    TemplateInfo,
    TemplateNotFound,
    TemplateSource,
    builtin_templates,
    check_template,
    load_builtin_template,
    render_pdf,
    render_png,
    sample_resume,
    template_from_folder,
)

__all__ = [
    "PageOutOfRange",
    "RenderError",
    "RenderedPdf",
    "TemplateError",
    "TemplateInfo",
    "TemplateNotFound",
    "TemplateSource",
    "builtin_templates",
    "check_template",
    "load_builtin_template",
    "render_pdf",
    "render_png",
    "sample_resume",
    "template_from_folder",
]
