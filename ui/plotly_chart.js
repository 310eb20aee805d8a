// The app's charts, drawn by plotly.js's basic bundle (scatter and bar traces, shapes,
// annotations: all our figures use) in a Streamlit component (ui/plotly_component.py).
// The bundle (about 1.2 MB where Streamlit's own plotly chunk is 4.7 MB) is a file the app
// serves (static/, copied from node_modules by `make setup`), loaded once per page: every
// chart waits on the same promise.

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.lspPlotlyLoading) {
    window.lspPlotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () =>
        window.Plotly ? resolve(window.Plotly) : reject(new Error(`${url} defined no Plotly`));
      script.onerror = () => {
        window.lspPlotlyLoading = undefined; // the next chart tries again
        script.remove();
        reject(new Error(`${url} did not load`));
      };
      document.head.appendChild(script);
    });
  }
  return window.lspPlotlyLoading;
}

// One chart element per mount, kept across reruns: a changed figure is drawn again with
// Plotly.react into the same element (no flash, the legend's hidden traces reset).
function chartElement(parent) {
  let chart = parent.querySelector(":scope > .lsp-plotly-chart");
  if (!chart) {
    chart = document.createElement("div");
    chart.className = "lsp-plotly-chart";
    chart.setAttribute("role", "img");
    parent.appendChild(chart);
  }
  return chart;
}

// Wider or narrower container (the window, the sidebar opened or closed): the chart follows
// its width; its height is the figure's own.
function followWidth(chart, Plotly) {
  if (chart.lspResize) return;
  let width = chart.clientWidth;
  let frame = 0;
  chart.lspResize = new ResizeObserver(() => {
    if (chart.clientWidth === width) return;
    width = chart.clientWidth;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (chart.isConnected && chart.classList.contains("js-plotly-plot")) {
        Plotly.Plots.resize(chart);
      }
    });
  });
  chart.lspResize.observe(chart);
}

export default function ({ data, parentElement }) {
  const { alt, config, bundle } = data;
  const figure = JSON.parse(data.figure); // plotly's own JSON of the figure
  const chart = chartElement(parentElement);
  chart.setAttribute("aria-label", alt);
  // the figure's height kept while plotly.js loads, so the page does not jump when it draws
  if (figure.layout && figure.layout.height) chart.style.minHeight = `${figure.layout.height}px`;
  // one drawing after another on this element, each with the latest figure it was given
  chart.lspDrawn = (chart.lspDrawn || Promise.resolve())
    .then(() => loadPlotly(bundle))
    .then((Plotly) => {
      parentElement.querySelector(":scope > .lsp-plotly-error")?.remove();
      followWidth(chart, Plotly);
      return Plotly.react(chart, figure.data, figure.layout, config);
    })
    .catch((error) => {
      console.error("Chart not drawn:", error);
      if (!parentElement.querySelector(":scope > .lsp-plotly-error")) {
        const note = document.createElement("p");
        note.className = "lsp-plotly-error";
        note.textContent =
          "The chart could not be drawn (its script did not load). " +
          "Its data are in the table under it.";
        parentElement.appendChild(note);
      }
    });
  return () => {
    chart.lspResize?.disconnect();
    chart.lspResize = undefined;
    window.Plotly?.purge(chart);
  };
}
