"""The supply-dependency network: who produces what, what each Korean sector and company
needs, and what a disruption reaches.

- :mod:`kg.network.graph` builds a networkx ``DiGraph`` from the store (SPARQL in
  ``queries/network/``) and cuts views of it by element, country, sector or share.
- :mod:`kg.network.export` writes it as GraphML, GEXF, DOT or Cytoscape.js JSON.
- :mod:`kg.network.datasets` groups production figures into data sets and picks one.
- :mod:`kg.network.metrics` measures concentration (HHI with bounds) and chokepoints,
  and :mod:`kg.network.exposure` each sector's and company's dependencies.
- :mod:`kg.network.whatif` propagates a supplier's disruption downstream.

Edges point the way supply flows (producer -> commodity -> material -> sector -> company),
so "what does this reach" is a walk along edges and "what does this depend on" a walk
against them.
"""
