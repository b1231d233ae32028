// Swagger UI setup, kept out of the HTML so the page runs under a CSP without inline scripts.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The default validator badge loads an image from validator.swagger.io: no external requests here.
  validatorUrl: null,
  displayRequestDuration: true,
  // "Try it out" calls this same origin; the browser adds the session cookie by itself.
  withCredentials: true,
})
