var data = {
	"title": {
		"media": {
			"url": "../img/flag.png",
			"caption": "",
			"credit": ""
		},
		"text": {
			"headline": "Talks on the Peninsula",
			"text": "<p>Meetings between the two Koreas and their neighbours, 2018.</p>"
		}
	},
	"events": [{
		"start_date": {
			"month": "4",
			"day": "27",
			"year": "2018"
		},
		"text": {
			"headline": "Summit at Panmunjom",
			"text": "<p>The leaders of the two Koreas met at the truce village &amp; signed a declaration.</p>"
		},
	}, {
		"start_date": {
			"month": "3",
			"day": "26",
			"year": "2018"
		},
		"text": {
			"headline": "A visit to Beijing by train",
			"text": "<p>Kim Jong Un met Xi Jinping in Beijing.</p>",
		}
	},
	// {
	// 	"start_date": { "year": "" },
	// 	"text": { "headline": "", "text": "" }
	// }
	]
};
