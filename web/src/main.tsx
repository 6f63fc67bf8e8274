// Entry: mount the app inside the data layer's cache.
import { QueryClientProvider } from "@tanstack/preact-query";
import { render } from "preact";
import { App } from "./app";
import { queryClient } from "./query";
import "./styles.css";

render(
  <QueryClientProvider client={queryClient}>
    <App />
  </QueryClientProvider>,
  document.getElementById("app")!,
);
